using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Xunit.Abstractions;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// Every operation of every service's OpenAPI document, called through the gateway the way a hostile caller would: with
/// each role's token (and none), path identifiers of a real school and made-up ones, query values far too long, out of
/// range or not numbers, and bodies that are not JSON, are JSON of the wrong shape, nest too deep, carry strings far past
/// any column, numbers past their type, the wrong types, or are not of the declared media type. The system must answer
/// every one without a server error, and every 400, 413, 415 and 422 is a ProblemDetails document (the field and the fix,
/// not a stack trace). A 502 fails it too: it found that a 413 given before the body was read left the connection to
/// be closed without saying so, and the gateway's next request on it got no answer (BodyLimits now drains or closes).
/// </summary>
[Collection(nameof(WholeSystem))]
public sealed class HostileCallerTests(SystemFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Services = ["registration", "scheduling", "payment", "capture-ingest", "verification"];

    // How the system answered, by status: the tally in the test's output.
    private readonly ConcurrentDictionary<int, int> statuses = new();

    // Long-lived feeds answer with a stream that never ends: a first status is all this test needs from them.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task No_operation_answers_a_hostile_caller_with_a_server_error_and_every_refusal_is_a_problem_document()
    {
        var world = await SchoolWorld.CreateAsync(fixture);
        var operations = new List<Operation>();
        foreach (var service in Services)
        {
            using var http = new HttpClient { BaseAddress = fixture.System.ServiceUri(service) };
            var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
            operations.AddRange(Operation.All(document));
        }

        Assert.True(operations.Count >= 60, $"only {operations.Count} operations found in the OpenAPI documents");
        var tokens = Tokens(world);
        var failures = new ConcurrentBag<string>();
        var sent = 0;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 }) { BaseAddress = fixture.System.GatewayUri, Timeout = RequestTimeout };
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(operations.Select(async op =>
        {
            await gate.WaitAsync();
            try
            {
                foreach (var (name, token) in await RolesPastTheDoorAsync(client, op, world, tokens))
                {
                    foreach (var attempt in Attempts(op, world))
                    {
                        Interlocked.Increment(ref sent);
                        var verdict = await SendAsync(client, op, attempt, token);
                        if (verdict is not null)
                        {
                            failures.Add($"{op.Method} {op.Path} as {name}, {attempt.Name}: {verdict}");
                        }
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        output.WriteLine($"{operations.Count} operations, {sent} hostile requests; answers: {string.Join(", ", statuses.OrderBy(x => x.Key).Select(x => $"{x.Key} × {x.Value}"))}");
        Assert.True(sent > operations.Count * 5, $"only {sent} requests were sent");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {sent} hostile requests were answered badly:\n" + string.Join("\n", failures.Order().Take(80))
            + "\nThe system's log around them:\n" + string.Join("\n", Suspicious()));

        IEnumerable<string> Suspicious() => fixture.Log.Where(l => !l.Contains("__ef_migrations_history", StringComparison.Ordinal)
            && (l.Contains("fail:", StringComparison.Ordinal) || l.Contains("warn:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal)
                || l.Contains("Exception", StringComparison.Ordinal))).TakeLast(60);
    }

    /// <summary>The roles whose plain request is not turned away at the door (401/403): the ones the hostile bodies then reach; all of them when none is let in.</summary>
    private static async Task<List<(string Name, string? Token)>> RolesPastTheDoorAsync(HttpClient client, Operation op, SchoolWorld world, List<(string Name, string? Token)> tokens)
    {
        var plain = new Attempt("plain", op.Url(world, null), op.Body is null ? null : () => Json(op.Sample(world, Mode.Plain)));
        var admitted = new List<(string, string?)>();
        foreach (var (name, token) in tokens)
        {
            using var request = plain.Request(op, token);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                admitted.Add((name, token));
            }
        }

        return admitted.Count > 0 ? admitted : tokens;
    }

    private static List<(string Name, string? Token)> Tokens(SchoolWorld w) =>
    [
        ("no token", null),
        (CaptureRoles.SchoolAdmin, TestTokens.For(CaptureRoles.SchoolAdmin, school: w.Code)),
        (CaptureRoles.CollegeStaff, TestTokens.For(CaptureRoles.CollegeStaff, school: w.Code, college: SchoolWorld.College)),
        (CaptureRoles.Student, TestTokens.For(CaptureRoles.Student, w.Row.StudentNumber, w.Code)),
        (CaptureRoles.StationOperator, TestTokens.For(CaptureRoles.StationOperator, school: w.Code, venue: w.Venue.ToString())),
        (CaptureRoles.IntegrationClient, TestTokens.For(CaptureRoles.IntegrationClient, school: w.Code)),
        (CaptureRoles.Ops, TestTokens.For(CaptureRoles.Ops, school: w.Code)),
    ];

    private static IEnumerable<Attempt> Attempts(Operation op, SchoolWorld world)
    {
        var url = op.Url(world, null);
        foreach (var p in op.PathParameters)
        {
            yield return new Attempt($"path {p.Name} made up", op.Url(world, (p.Name, p.IsUuid ? Guid.NewGuid().ToString() : "Z9")), op.Body is null ? null : () => Json(op.Sample(world, Mode.Plain)));
            yield return new Attempt($"path {p.Name} too long", op.Url(world, (p.Name, new string('9', 3000))), null);
        }

        if (op.QueryParameters.Count > 0)
        {
            foreach (var (label, value) in new[] { ("too long", new string('长', 3000)), ("negative", "-1"), ("past any integer", "99999999999999999999999"), ("quote and NUL", "' OR 1=1 --\u0000") })
            {
                var query = string.Join("&", op.QueryParameters.Select(q => $"{Uri.EscapeDataString(q)}={Uri.EscapeDataString(value)}"));
                yield return new Attempt($"query {label}", $"{url}?{query}", op.Body is null ? null : () => Json(op.Sample(world, Mode.Plain)));
            }
        }

        if (op.Body is null)
        {
            yield break;
        }

        if (op.BodyMediaType == "application/json")
        {
            yield return new Attempt("body not JSON", url, () => Raw("{\"a\": ", "application/json"));
            yield return new Attempt("body null", url, () => Raw("null", "application/json"));
            yield return new Attempt("body an array", url, () => Raw("[1, 2]", "application/json"));
            yield return new Attempt("body a string", url, () => Raw("\"x\"", "application/json"));
            yield return new Attempt("body nested 200 deep", url, () => Raw(new string('[', 200) + new string(']', 200), "application/json"));
            yield return new Attempt("body strings far too long, numbers past their type", url, () => Json(op.Sample(world, Mode.Huge)));
            yield return new Attempt("body of the wrong types", url, () => Json(op.Sample(world, Mode.WrongTypes)));
            yield return new Attempt("body empty and negative values", url, () => Json(op.Sample(world, Mode.EmptyAndNegative)));
            yield return new Attempt("body as text/plain", url, () => Raw(op.Sample(world, Mode.Plain)?.ToJsonString() ?? "{}", "text/plain"));
        }
        else if (op.BodyMediaType == "multipart/form-data")
        {
            yield return new Attempt("multipart empty", url, () =>
            {
                var form = new MultipartFormDataContent();
                return form;
            });
            yield return new Attempt("multipart of garbage", url, () =>
            {
                var form = new MultipartFormDataContent();
                foreach (var field in op.FormFields)
                {
                    form.Add(new StringContent(new string('长', 5000)), field);
                }

                var file = new ByteArrayContent(Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray());
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(file, "file", "../../etc/passwd");
                return form;
            });
            yield return new Attempt("multipart announced, JSON sent", url, () => Raw("{}", "application/json"));
        }
        else
        {
            yield return new Attempt($"{op.BodyMediaType} of garbage", url, () =>
            {
                var content = new ByteArrayContent(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
                content.Headers.ContentType = new MediaTypeHeaderValue(op.BodyMediaType!);
                return content;
            });
            yield return new Attempt($"{op.BodyMediaType} empty", url, () => Raw("", op.BodyMediaType!));
        }
    }

    /// <summary>Null when the answer is acceptable; else what was wrong with it.</summary>
    private async Task<string?> SendAsync(HttpClient client, Operation op, Attempt attempt, string? token)
    {
        using var request = attempt.Request(op, token);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (TaskCanceledException)
        {
            return $"no answer within {RequestTimeout.TotalSeconds} s";
        }
        catch (HttpRequestException e)
        {
            return $"the connection failed: {e.Message}";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var type = response.Content.Headers.ContentType?.MediaType;
            if (type == "text/event-stream")
            {
                return status >= 500 ? $"{status} on a feed" : null;
            }

            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                return $"{status} {Excerpt(body)}";
            }

            if (status is 400 or 413 or 415 or 422 && type != "application/problem+json")
            {
                return $"{status} without a ProblemDetails document ({type ?? "no body"}): {Excerpt(body)}";
            }

            return null;
        }
    }

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;

    private static HttpContent Raw(string text, string mediaType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = mediaType.StartsWith("text/", StringComparison.Ordinal) ? "utf-8" : null };
        return content;
    }

    private static HttpContent Json(JsonNode? node) => Raw(node?.ToJsonString() ?? "{}", "application/json");

    private sealed record Attempt(string Name, string Url, Func<HttpContent>? Body)
    {
        public HttpRequestMessage Request(Operation op, string? token)
        {
            var request = new HttpRequestMessage(new HttpMethod(op.Method), Url);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (Body is not null)
            {
                request.Content = Body();
            }

            return request;
        }
    }

    private enum Mode
    {
        Plain,
        Huge,
        WrongTypes,
        EmptyAndNegative,
    }

    private sealed record PathParameter(string Name, bool IsUuid);

    /// <summary>One operation of an OpenAPI document: its route, parameters and request body schema.</summary>
    private sealed record Operation(string Method, string Path, List<PathParameter> PathParameters, List<string> QueryParameters,
        string? BodyMediaType, JsonNode? Body, List<string> FormFields, JsonNode Document)
    {
        public static IEnumerable<Operation> All(JsonNode document)
        {
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    if (method is "parameters" or "summary" or "description" || operation is null)
                    {
                        continue;
                    }

                    var parameters = operation["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
                    var pathParameters = parameters.Where(p => (string?)p["in"] == "path")
                        .Select(p => new PathParameter((string)p["name"]!, (string?)p["schema"]?["format"] == "uuid")).ToList();
                    var query = parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
                    string? mediaType = null;
                    JsonNode? schema = null;
                    var formFields = new List<string>();
                    if (operation["requestBody"]?["content"]?.AsObject() is { Count: > 0 } content)
                    {
                        var (type, media) = content.FirstOrDefault(c => c.Key == "application/json") is { Value: not null } json ? json : content.First();
                        mediaType = type;
                        schema = media?["schema"] ?? new JsonObject();
                        if (type == "multipart/form-data")
                        {
                            formFields = Resolve(document, schema)?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
                        }
                    }

                    yield return new Operation(method.ToUpperInvariant(), path, pathParameters, query, mediaType, schema, formFields, document);
                }
            }
        }

        /// <summary>The path with the world's identifiers in it, one parameter replaced when <paramref name="replace"/> says so.</summary>
        public string Url(SchoolWorld w, (string Name, string Value)? replace)
        {
            var url = Path;
            foreach (var p in PathParameters)
            {
                var value = replace is { } r && r.Name == p.Name ? r.Value : Known(w, p);
                url = url.Replace("{" + p.Name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            }

            return url;
        }

        private static string Known(SchoolWorld w, PathParameter p) => p.Name switch
        {
            "campaignId" => w.Campaign.ToString(),
            "registrationId" => w.RegistrationId.ToString(),
            "campusId" => w.Campus.ToString(),
            "venueId" => w.Venue.ToString(),
            "stationId" => w.Station.ToString(),
            "captureDayId" or "dayId" => w.CaptureDay.ToString(),
            "sessionId" => w.Session.ToString(),
            "studentNumber" => w.Row.StudentNumber,
            "collegeCode" or "college" => SchoolWorld.College,
            "billDate" or "date" => "2030-12-20",
            _ when p.IsUuid => Guid.NewGuid().ToString(),
            _ => "1",
        };

        public JsonNode? Sample(SchoolWorld w, Mode mode) => Body is null ? null : Value(Body, mode, 0, null);

        private JsonNode? Value(JsonNode schema, Mode mode, int depth, string? name)
        {
            schema = Resolve(Document, schema) ?? new JsonObject();
            var type = TypeOf(schema);
            var format = (string?)schema["format"];
            if (depth > 5)
            {
                return null;
            }

            switch (type)
            {
                case "object":
                    var obj = new JsonObject();
                    foreach (var (key, property) in schema["properties"]?.AsObject() ?? [])
                    {
                        obj[key] = mode == Mode.WrongTypes && TypeOf(Resolve(Document, property!) ?? new JsonObject()) == "object"
                            ? JsonValue.Create("not an object")
                            : Value(property!, mode, depth + 1, key);
                    }

                    return obj;
                case "array":
                    if (mode == Mode.WrongTypes)
                    {
                        return new JsonObject { ["not"] = "an array" };
                    }

                    var items = schema["items"] ?? new JsonObject();
                    return mode == Mode.EmptyAndNegative ? new JsonArray() : new JsonArray(Value(items, mode, depth + 1, name), Value(items, mode, depth + 1, name));
                case "integer":
                    return mode switch
                    {
                        Mode.Huge => JsonValue.Create(format == "int64" ? decimal.Parse("99999999999999999999999", System.Globalization.CultureInfo.InvariantCulture) : 2147483648m),
                        Mode.WrongTypes => JsonValue.Create("abc"),
                        Mode.EmptyAndNegative => JsonValue.Create(-1),
                        _ => JsonValue.Create(1),
                    };
                case "number":
                    return mode switch
                    {
                        Mode.Huge => JsonValue.Create(1e308),
                        Mode.WrongTypes => JsonValue.Create("abc"),
                        Mode.EmptyAndNegative => JsonValue.Create(-1.5),
                        _ => JsonValue.Create(1),
                    };
                case "boolean":
                    return mode == Mode.WrongTypes ? JsonValue.Create("yes") : JsonValue.Create(true);
                default:
                    return mode switch
                    {
                        Mode.Huge => JsonValue.Create(format is "uuid" ? "not-a-uuid-" + new string('f', 5000) : new string('长', 5000)),
                        Mode.WrongTypes => JsonValue.Create(12345),
                        Mode.EmptyAndNegative => JsonValue.Create(format is "uuid" ? Guid.Empty.ToString() : ""),
                        _ => JsonValue.Create(format switch
                        {
                            "uuid" => Guid.NewGuid().ToString(),
                            "date" => "2030-12-20",
                            "date-time" => "2030-12-20T08:00:00+08:00",
                            _ => "x",
                        }),
                    };
            }
        }

        private static string? TypeOf(JsonNode schema) => schema["type"] switch
        {
            JsonValue v => (string?)v,
            JsonArray a => a.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
            _ => schema["properties"] is not null ? "object" : null,
        };

        private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
        {
            for (var i = 0; i < 10 && schema?["$ref"] is { } reference; i++)
            {
                schema = ((string)reference!).TrimStart('#', '/').Split('/').Aggregate((JsonNode?)document, (node, part) => node?[part]);
            }

            if ((schema?["oneOf"] ?? schema?["anyOf"]) is JsonArray options)
            {
                return Resolve(document, options.FirstOrDefault(o => TypeOf(Resolve(document, o!) ?? new JsonObject()) is not null and not "null") ?? new JsonObject());
            }

            return schema;
        }
    }
}
