// Validates Kubernetes objects (multi-document YAML, e.g. `kubectl kustomize` output) offline:
//  - built-in kinds against the Kubernetes OpenAPI schemas (kubernetes-models, Kubernetes 1.32),
//  - CloudNativePG, KEDA, Prometheus Operator and External Secrets kinds against their CRD schemas (@kubernetes-models/*),
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

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group === ""
    ? `kubernetes-models/${version}/${kind}`
    : packages[group] ? `${packages[group]}/${group}/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    const module = await import(path);
    return module[kind];
  } catch {
    return undefined;
  }
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

let failed = 0;
let count = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      console.log(`INVALID ${file}: YAML: ${document.errors[0].message}`);
      failed++;
      continue;
    }
    const object = document.toJS();
    if (object == null) continue;
    count++;
    const name = `${object.kind}/${object.metadata?.name ?? "?"}`;
    const errors = await validate(object);
    if (errors.length > 0) {
      failed++;
      console.log(`INVALID ${name}: ${errors.join("; ")}`);
    } else {
      console.log(`ok ${name}`);
    }
  }
}
console.log(`${count} objects, ${failed} invalid`);
process.exit(failed > 0 || count === 0 ? 1 : 0);
