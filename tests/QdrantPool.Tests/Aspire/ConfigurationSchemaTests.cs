using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace QdrantPool.Tests.Aspire;

/// <summary>ConfigurationSchema.json is written by hand; these tests keep it in step with the settings type.</summary>
public sealed class ConfigurationSchemaTests
{
    private static readonly JsonElement PoolProperties = LoadPoolProperties();

    [Fact]
    public void Schema_EverySetting_IsDescribed()
    {
        var described = PoolProperties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var settings = typeof(QdrantConnectionPoolSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(settings, described);
        Assert.All(PoolProperties.EnumerateObject(), p => Assert.False(string.IsNullOrWhiteSpace(p.Value.GetProperty("description").GetString())));
    }

    [Fact]
    public void Schema_EverySetting_HasItsTypeAndDefault()
    {
        var fresh = new QdrantConnectionPoolSettings();
        foreach (var property in typeof(QdrantConnectionPoolSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var schema = PoolProperties.GetProperty(property.Name);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var expectedType = type == typeof(int) ? "integer" : type == typeof(double) ? "number" : type == typeof(bool) ? "boolean" : "string";
            Assert.True(expectedType == schema.GetProperty("type").GetString(), $"{property.Name} should be of type {expectedType}.");

            var value = property.GetValue(fresh);
            if (value is null)
            {
                Assert.False(schema.TryGetProperty("default", out _), $"{property.Name} has no default but the schema gives one.");
                continue;
            }

            Assert.True(schema.TryGetProperty("default", out var @default), $"{property.Name} has no default in the schema.");
            object? schemaDefault = value switch
            {
                int => @default.GetInt32(),
                double => @default.GetDouble(),
                bool => @default.GetBoolean(),
                TimeSpan => TimeSpan.Parse(@default.GetString()!, CultureInfo.InvariantCulture),
                _ => @default.GetString(),
            };
            Assert.True(Equals(value, schemaDefault), $"{property.Name}: the settings default is {value}, the schema says {schemaDefault}.");
        }
    }

    private static JsonElement LoadPoolProperties([CallerFilePath] string thisFile = "")
    {
        // The source file's own path leads back to the repository, wherever the build output went.
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "QdrantPool", "ConfigurationSchema.json"));
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("properties").GetProperty("Aspire").GetProperty("properties").GetProperty("Qdrant")
            .GetProperty("properties").GetProperty("Pool").GetProperty("properties").Clone();
    }
}
