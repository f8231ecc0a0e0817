using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using QdrantEmulator.Grpc;

namespace QdrantEmulator.Collections;

/// <summary>
/// Qdrant's validation of <c>collection_name</c> (lib/api/build.rs, common::validation): 1..255 characters on every
/// request that names a collection; Create forbids more characters than the requests that name an existing collection,
/// which only refuse what no filesystem allows (<c>validate_collection_name_legacy</c>).
/// </summary>
internal static class CollectionNameRules
{
    public const int MaxLength = 255;
    private const string FieldName = "collection_name";
    private static readonly char[] CreateInvalidChars = ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0', '\u001F'];
    private static readonly char[] LegacyInvalidChars = ['/', '\0'];

    /// <summary>The problems Create reports for its name, in Qdrant's "field: message" form.</summary>
    public static void CollectForCreate(string name, List<string> problems) => Collect(name, string.Empty, CreateInvalidChars, problems);

    /// <summary>
    /// The problems of a name of an existing collection nested in a request at <paramref name="prefix"/> (e.g.
    /// <c>search_points[0].</c>): Qdrant validates each batch entry's own <c>collection_name</c> too.
    /// </summary>
    public static void CollectNested(string name, string prefix, List<string> problems) => Collect(name, prefix, LegacyInvalidChars, problems);

    /// <summary>
    /// A check for a request type that names an existing collection (null when it has no <c>collection_name</c>):
    /// throws Qdrant's "Validation error in body" before anything else looks at the request, as Qdrant's
    /// <c>validate(request)</c> runs first in each handler.
    /// </summary>
    public static Action<IMessage>? CheckerFor(MessageDescriptor request)
    {
        var field = request.FindFieldByName(FieldName);
        if (field is not { FieldType: FieldType.String, IsRepeated: false })
        {
            return null;
        }

        return message =>
        {
            var problems = new List<string>();
            Collect((string)field.Accessor.GetValue(message), string.Empty, LegacyInvalidChars, problems);
            if (problems.Count > 0)
            {
                throw QdrantErrors.Validation(problems);
            }
        };
    }

    private static void Collect(string name, string prefix, char[] invalidChars, List<string> problems)
    {
        if (name.Length is 0 or > MaxLength)
        {
            problems.Add($"{prefix}{FieldName}: value {JsonString(name)} invalid, must be from 1 to {MaxLength} characters");
        }

        if (name.IndexOfAny(invalidChars) is var at and >= 0)
        {
            problems.Add($"{prefix}{FieldName}: collection name cannot contain \"{name[at]}\" char");
        }
    }

    // serde_json's rendering of a string value, as Qdrant's validation message shows it.
    private static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                < ' ' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
