using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Capture.ServiceDefaults.Http;

/// <summary>
/// A JSON object body read as a stream: the items of one array property, deserialized one at a time, and the other
/// properties the endpoint asked for. <see cref="TooMany"/> says reading stopped at item <c>max + 1</c>.
/// </summary>
public sealed record JsonArrayBody<T>(IReadOnlyList<T?> Items, IReadOnlyDictionary<string, JsonElement> Properties, bool TooMany)
{
    /// <summary>A kept property as true or false (null when absent or null); any other value is a 400 naming it.</summary>
    public bool? Bool(string name)
    {
        if (!Properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new BadHttpRequestException(
                "The JSON body could not be read.",
                StatusCodes.Status400BadRequest,
                new JsonException($"The JSON value could not be converted to System.Boolean.", "$." + JsonNamingPolicy.CamelCase.ConvertName(name), null, null)),
        };
    }
}

/// <summary>
/// Reads a body such as <c>{"students": [ ... ], "onlyValidRows": true}</c> from the request's pipe, element by element,
/// and stops at the first element past <c>maxItems</c>: a body of ten million small rows (which fits in a few tens of
/// megabytes) is never turned into ten million objects, and the rest of it is never read. Other properties are skipped
/// without being materialized unless named in <c>keep</c>. JSON that does not parse or bind throws
/// <see cref="BadHttpRequestException"/> with the <see cref="JsonException"/> inside, its path naming the item
/// (<c>students[12].name</c>), which ServiceDefaults answers as a 400 naming the field, like any other body.
/// </summary>
public static class JsonArrayBody
{
    public static async Task<JsonArrayBody<T>> ReadAsync<T>(
        HttpRequest request, string arrayProperty, int maxItems, IReadOnlyCollection<string> keep, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException(
                $"Expected a JSON body (Content-Type: application/json), got '{request.ContentType}'.", StatusCodes.Status415UnsupportedMediaType);
        }

        var walker = new Walker<T>(arrayProperty, maxItems, keep, options);
        var state = new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        });
        var pipe = request.BodyReader;
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            long consumed = 0;
            try
            {
                consumed = walker.Feed(buffer, result.IsCompleted, ref state);
            }
            catch (JsonException e)
            {
                throw new BadHttpRequestException("The JSON body could not be read.", StatusCodes.Status400BadRequest, e);
            }
            finally
            {
                pipe.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            }

            if (walker.Done)
            {
                return new JsonArrayBody<T>(walker.Items, walker.Properties, walker.TooMany);
            }

            if (result.IsCompleted)
            {
                var end = new JsonException("The body ended before its JSON did.", "$", null, null);
                throw new BadHttpRequestException("The JSON body could not be read.", StatusCodes.Status400BadRequest, end);
            }
        }
    }

    private enum Stage
    {
        Start,
        InObject,
        InArray,
        Trailing,
        Done,
    }

    /// <summary>The reading position between pipe reads; a value cut by the end of a buffer is read again, whole, from the next.</summary>
    private sealed class Walker<T>(string arrayProperty, int maxItems, IReadOnlyCollection<string> keep, JsonSerializerOptions options)
    {
        private readonly StringComparison names = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        private Stage stage = Stage.Start;

        public List<T?> Items { get; } = [];

        public Dictionary<string, JsonElement> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        public bool TooMany { get; private set; }

        public bool Done => stage == Stage.Done;

        public long Feed(ReadOnlySequence<byte> buffer, bool final, ref JsonReaderState state)
        {
            var reader = new Utf8JsonReader(buffer, final, state);
            Walk(ref reader, final);
            state = reader.CurrentState;
            return reader.BytesConsumed;
        }

        private void Walk(ref Utf8JsonReader reader, bool final)
        {
            while (true)
            {
                var checkpoint = reader;
                switch (stage)
                {
                    case Stage.Start:
                        if (!reader.Read())
                        {
                            return;
                        }

                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new JsonException($"The body must be a JSON object with '{arrayProperty}'.", "$", null, null);
                        }

                        stage = Stage.InObject;
                        break;
                    case Stage.InObject:
                        if (!reader.Read())
                        {
                            return;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            stage = Stage.Trailing;
                            break;
                        }

                        var name = reader.GetString()!;
                        if (!reader.Read())
                        {
                            reader = checkpoint;
                            return;
                        }

                        if (string.Equals(name, arrayProperty, names))
                        {
                            if (reader.TokenType == JsonTokenType.StartArray)
                            {
                                stage = Stage.InArray;
                            }
                            else if (reader.TokenType != JsonTokenType.Null)
                            {
                                throw new JsonException($"'{arrayProperty}' must be an array.", "$." + arrayProperty, null, null);
                            }

                            break;
                        }

                        var value = reader;
                        if (!reader.TrySkip())
                        {
                            reader = checkpoint;
                            return;
                        }

                        if (keep.Contains(name, StringComparer.OrdinalIgnoreCase))
                        {
                            Properties[name] = JsonElement.ParseValue(ref value);
                        }

                        break;
                    case Stage.InArray:
                        if (!reader.Read())
                        {
                            return;
                        }

                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            stage = Stage.InObject;
                            break;
                        }

                        var item = reader;
                        if (!reader.TrySkip())
                        {
                            reader = checkpoint;
                            return;
                        }

                        if (Items.Count == maxItems)
                        {
                            // One past the limit is enough to say so: nothing after it is read.
                            TooMany = true;
                            stage = Stage.Done;
                            return;
                        }

                        try
                        {
                            Items.Add(JsonSerializer.Deserialize<T>(ref item, options));
                        }
                        catch (JsonException e)
                        {
                            var inner = e.Path is { Length: > 1 } path ? path[1..] : "";
                            throw new JsonException(e.Message, $"$.{arrayProperty}[{Items.Count}]{inner}", e.LineNumber, e.BytePositionInLine, e);
                        }

                        break;
                    case Stage.Trailing:
                        // Anything but whitespace after the object is malformed (the reader throws on it).
                        if (reader.Read() || !final)
                        {
                            return;
                        }

                        stage = Stage.Done;
                        return;
                    default:
                        return;
                }
            }
        }
    }
}
