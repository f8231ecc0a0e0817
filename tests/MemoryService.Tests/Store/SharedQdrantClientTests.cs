using MemoryService.Store;

namespace MemoryService.Tests.Store;

public sealed class SharedQdrantClientTests
{
    [Theory]
    [InlineData("Endpoint=http://localhost:6334;Key=abc", "http://localhost:6334/", "abc")]
    [InlineData("Endpoint=https://qdrant.example:6334", "https://qdrant.example:6334/", null)]
    [InlineData("http://127.0.0.1:6334", "http://127.0.0.1:6334/", null)]
    public void Parse_reads_the_official_connection_string_or_a_bare_uri(string connectionString, string endpoint, string? key)
    {
        var (uri, parsedKey) = SharedQdrantClient.Parse(connectionString, "qdrant");

        Assert.Equal(endpoint, uri.ToString());
        Assert.Equal(key, parsedKey);
    }

    [Theory]
    [InlineData("Host=localhost;Port=6334;Key=secret-value")]
    [InlineData("Endpoint=localhost:6334;Key=secret-value")]
    [InlineData("Endpoint=ftp://x;Key=secret-value")]
    [InlineData("=;;=Key=secret-value")]
    public void Parse_refuses_a_string_without_a_usable_endpoint_naming_the_setting_not_the_key(string connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SharedQdrantClient.Parse(connectionString, "qdrant"));

        Assert.StartsWith("'ConnectionStrings:qdrant' has no usable Endpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }
}
