// Validates Kubernetes objects (multi-document YAML, e.g. `kubectl kustomize` output) offline:
//  - built-in kinds against the Kubernetes OpenAPI schemas (kubernetes-models 5.1, the Kubernetes 1.34 API),
//  - CloudNativePG, KEDA, Prometheus Operator and External Secrets kinds against their CRD schemas (@kubernetes-models/*);
//    for these and the built-ins, fields the schema does not know are caught by type-checking each object against the
//    packages' TypeScript declarations (excess property checks): the API server rejects unknown fields too,
//  - RabbitmqCluster and MinIO Tenant against their CRDs' openAPIV3Schema, vendored in crds/ from the operator release
//    we target (no @kubernetes-models package exists for them), with the API server's strict field validation:
//    a field the schema does not know is an error.
// A kind none of these knows is an error too: every object we ship is checked.
// Usage: node validate.mjs FILE.yaml [...]   Prints one line per object; exit code 1 when any object is invalid.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));

const packages = {
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

const vendored = ["rabbitmq.com_rabbitmqclusters.json", "minio.min.io_tenants.json"].map((file) =>
  JSON.parse(readFileSync(join(here, "crds", file), "utf8")));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const format of ["int32", "int64", "byte", "int-or-string", "quantity", "date-time"]) {
  if (!ajv.formats[format]) ajv.addFormat(format, true);
}

// The API server rejects unknown fields (kubectl's default --validate=strict): close every object schema that
// lists its properties and does not preserve unknown fields.
function closeSchema(schema) {
  if (!schema || typeof schema !== "object") return schema;
  const copy = Array.isArray(schema) ? schema.map(closeSchema) : Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, closeSchema(v)]));
  if (!Array.isArray(copy) && copy.properties && copy.additionalProperties === undefined
      && !copy["x-kubernetes-preserve-unknown-fields"]) {
    copy.additionalProperties = false;
  }
  return copy;
}

const crdValidators = new Map();
for (const crd of vendored) {
  for (const [version, schema] of Object.entries(crd.versions)) {
    const closed = closeSchema(schema);
    // metadata is the API server's, not the CRD's: allow it whole.
    closed.properties.metadata = { type: "object" };
    crdValidators.set(`${crd.group}/${version}/${crd.kind}`, ajv.compile(closed));
  }
}

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === ""
    ? `kubernetes-models/${version}/${kind}`
    : packages[group] ? `${packages[group]}/${group}/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

async function modelFor(apiVersion, kind) {
  try {
    const module = await import(modelPath(apiVersion, kind));
    return module[kind];
  } catch {
    return undefined;
  }
}

// Type-checks each object literal against its model's interface (I<Kind>): TypeScript reports properties the type
// does not declare. Returns a map from object index to its errors.
function unknownFields(checked) {
  const imports = new Map();
  const lines = [];
  const lineOf = [];
  for (const { index, object } of checked) {
    const path = modelPath(object.apiVersion, object.kind);
    if (!imports.has(path)) imports.set(path, `T${imports.size}`);
    lineOf.push(index);
    lines.push(`export const o${index}: import("${path}").I${object.kind} = ${JSON.stringify(object)};`);
  }
  const file = join(here, "__strict__.ts");
  const source = lines.join("\n") + "\n";
  const options = {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.fileExists = ((exists) => (name) => name === file || exists(name))(host.fileExists.bind(host));
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const program = ts.createProgram([file], options, host);
  const errors = new Map();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file?.fileName !== file) continue;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const index = lineOf[line];
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").split(". ")[0];
    // Only unknown fields: types, enums and required fields are the JSON-schema validators' job (clearer messages).
    if (![2353, 2561].includes(diagnostic.code)) continue;
    errors.set(index, [...(errors.get(index) ?? []), message]);
  }
  return errors;
}

async function validate(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind are required"];
  const crd = crdValidators.get(`${apiVersion}/${kind}`);
  if (crd) {
    return crd(object) ? [] : crd.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
  }
  const Model = await modelFor(apiVersion, kind);
  if (!Model) return [`no schema known for ${apiVersion} ${kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}

const objects = [];
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      console.log(`INVALID ${file}: YAML: ${document.errors[0].message}`);
      failed++;
      continue;
    }
    const object = document.toJS();
    if (object != null) objects.push(object);
  }
}

const results = [];
for (const object of objects) results.push(await validate(object));
const strict = unknownFields(objects
  .map((object, index) => ({ index, object }))
  .filter(({ object, index }) => results[index].length === 0
    && !crdValidators.has(`${object.apiVersion}/${object.kind}`)));

objects.forEach((object, index) => {
  const name = `${object.kind}/${object.metadata?.name ?? "?"}`;
  const errors = [...results[index], ...(strict.get(index) ?? [])];
  if (errors.length > 0) {
    failed++;
    console.log(`INVALID ${name}: ${errors.join("; ")}`);
  } else {
    console.log(`ok ${name}`);
  }
});
console.log(`${objects.length} objects, ${failed} invalid`);
process.exit(failed > 0 || objects.length === 0 ? 1 : 0);
