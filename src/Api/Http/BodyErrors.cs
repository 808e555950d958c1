using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FurnitureOps.Api.Http;

/// <summary>
/// Says what is wrong with a JSON body in the API's words: the field by its camelCase path and what it
/// should hold, never a CLR type or the parser's bookkeeping (System.Text.Json's own messages name both).
/// </summary>
public static partial class BodyErrors
{
    /// <summary>
    /// The failing field's path (<c>quantity</c>, <c>lines[1].sku</c>, or <c>body</c>) and what is wrong with it,
    /// given the type the body binds to (null if unknown).
    /// </summary>
    public static (string Field, string Detail) Describe(JsonException error, Type? bodyType)
    {
        var field = error.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        if (error.GetType().Name == "JsonReaderException" || error.InnerException?.GetType().Name == "JsonReaderException")
        {
            return (field, $"The body is not valid JSON (line {error.LineNumber + 1}, character {error.BytePositionInLine + 1}).");
        }

        if (error.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return (field, $"The body is nested more than {ApiHostingExtensions.MaxJsonDepth} levels deep.");
        }

        if (UnmappedMember().Match(error.Message) is { Success: true } unmapped)
        {
            // The path may or may not already end at the unknown member.
            var name = unmapped.Groups["name"].Value;
            var member = field == "body" ? name : field == name || field.EndsWith($".{name}", StringComparison.Ordinal) ? field : $"{field}.{name}";
            return (member, $"'{member}' is not a field of this request.");
        }

        if (field == "body")
        {
            return (field, "The body must be a JSON object.");
        }

        return (field, TypeAt(bodyType, field) is { } type ? $"'{field}' must be {Expected(type)}." : $"'{field}' has a value of the wrong type.");
    }

    /// <summary>
    /// A request that failed to bind without a JSON error: a route or query value of the wrong type, a missing
    /// required value, or no body where one is required.
    /// </summary>
    public static (string Field, string Detail) Binding(string message)
    {
        if (BadParameter().Match(message) is { Success: true } bad)
        {
            return (bad.Groups["name"].Value, $"'{bad.Groups["value"].Value}' is not a valid {bad.Groups["name"].Value}.");
        }

        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return (missing.Groups["name"].Value, $"{missing.Groups["name"].Value} is required.");
        }

        return ("body", "Send a JSON object as the request body.");
    }

    // Follows the path's members (camelCase, as the API names them) through the body type; indexes step into elements.
    private static Type? TypeAt(Type? type, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (type is null)
            {
                return null;
            }

            var name = segment.Split('[')[0];
            var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => string.Equals(JsonNamingPolicy.CamelCase.ConvertName(p.Name), name, StringComparison.Ordinal));
            type = property?.PropertyType;
            if (type is not null && segment.Contains('[', StringComparison.Ordinal))
            {
                type = ElementType(type);
            }
        }

        return type;
    }

    private static Type? ElementType(Type type) => type.IsArray
        ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) || t == typeof(short) => "a whole number (unquoted)",
        var t when t == typeof(decimal) || t == typeof(double) || t == typeof(float) => "a number (unquoted)",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "a date and time (ISO 8601, e.g. 2026-11-20T10:00:00Z)",
        var t when t.IsEnum => "one of the documented values",
        var t when ElementType(t) is not null => "an array",
        _ => "an object",
    };

    [GeneratedRegex("The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    // ASP.NET Core's wording: Failed to bind parameter "int? limit" from "abc".
    [GeneratedRegex("""Failed to bind parameter "[^"]* (?<name>[^" ]+)" from "(?<value>[^"]*)""")]
    private static partial Regex BadParameter();

    // Required parameter "string sku" was not provided from route. (also: from query string, from header)
    [GeneratedRegex("""Required parameter "[^"]* (?<name>[^" ]+)" was not provided""")]
    private static partial Regex MissingParameter();
}
