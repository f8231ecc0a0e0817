using System.Net;
using System.Net.Http.Headers;
using MemoryService.Tests.Support;

namespace MemoryService.Tests.Apis;

public sealed class ApiKeyTests(PooledServiceFixture fixture) : IClassFixture<PooledServiceFixture>
{
    public static TheoryData<string, string> ProtectedEndpoints() => new()
    {
        { "POST", "/memories" },
        { "POST", "/memories/batch" },
        { "GET", $"/memories/{Guid.NewGuid()}" },
        { "PATCH", $"/memories/{Guid.NewGuid()}" },
        { "DELETE", $"/memories/{Guid.NewGuid()}" },
        { "POST", "/memories/search" },
        { "GET", "/memories" },
        { "GET", "/memories/count" },
        { "GET", "/pool" },
        { "POST", "/mcp" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task Without_the_key_every_endpoint_answers_401_with_no_detail(string method, string path)
    {
        using var client = fixture.CreateAnonymousClient();
        foreach (var attempt in new Action<HttpRequestHeaders>[]
        {
            _ => { },
            headers => headers.Add("X-Api-Key", "wrong-key"),
            headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key"),
            headers => headers.Authorization = new AuthenticationHeaderValue("Basic", MemoryServiceFixture.ApiKey),
            headers => headers.Add("X-Api-Key", MemoryServiceFixture.ApiKey + "x"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            attempt(request.Headers);

            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("\"detail\"", body, StringComparison.Ordinal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task The_key_is_accepted_as_a_bearer_token_and_as_X_Api_Key()
    {
        using var client = fixture.CreateAnonymousClient();
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/memories/count");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MemoryServiceFixture.ApiKey);
        using var header = new HttpRequestMessage(HttpMethod.Get, "/memories/count");
        header.Headers.Add("X-Api-Key", MemoryServiceFixture.ApiKey);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(header)).StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_the_OpenAPI_document_need_no_key(string path)
    {
        using var client = fixture.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Neither_key_ever_appears_in_a_log_line()
    {
        using var client = fixture.CreateClient();
        using var wrong = fixture.CreateAnonymousClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "wrong-" + MemoryServiceFixture.ApiKey);
        await client.PostJsonAsync("/memories", new { content = "log check", category = "fact" });
        await client.PostJsonAsync("/memories", new { content = "", category = "fact" });
        await wrong.GetAsync("/memories");
        await client.GetAsync("/pool");

        Assert.NotEmpty(fixture.Logs.Lines);
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(MemoryServiceFixture.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(MemoryServiceFixture.QdrantKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint()
    {
        using var client = fixture.CreateAnonymousClient();
        var document = await client.GetStringAsync("/openapi/v1.json");

        foreach (var operation in new[] { "CreateMemory", "CreateMemories", "GetMemory", "UpdateMemory", "DeleteMemory", "SearchMemories", "ListMemories", "CountMemories", "GetPool" })
        {
            Assert.Contains($"\"operationId\": \"{operation}\"", document, StringComparison.Ordinal);
        }
    }
}
