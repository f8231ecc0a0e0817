using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Reliability.Tests.Support;

namespace Reliability.Tests.Service;

/// <summary>Without MemoryService's key, or with a wrong one: 401, nothing changed, nothing learnt.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task MemoryService_NoKeyOrWrongKey_Answers401WithNoDetail_AndChangesNothing()
    {
        await using var qdrant = await QdrantUnderTest.StartAsync();
        await using var host = new MemoryServiceHost(qdrant.Endpoint, qdrant.ApiKey);
        using var http = host.CreateAuthorizedClient();
        await http.WaitUntilHealthyAsync();
        var id = Guid.NewGuid();
        using (var created = await http.CreateAsync(id, "the original content"))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (_, before) = await http.GetJsonAsync($"/memories/{id}");
        var countBefore = (await http.GetJsonAsync("/memories/count")).Body.GetProperty("count").GetInt64();

        var callers = new (string Name, Action<HttpRequestHeaders> Present)[]
        {
            ("no key", _ => { }),
            ("wrong bearer", h => h.Authorization = new AuthenticationHeaderValue("Bearer", "wrong")),
            ("key with one more character", h => h.Authorization = new AuthenticationHeaderValue("Bearer", host.ServiceKey + "0")),
            ("key prefix", h => h.Add("X-Api-Key", host.ServiceKey[..^1])),
            ("wrong scheme", h => h.Authorization = new AuthenticationHeaderValue("Basic", host.ServiceKey)),
        };

        var answers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, present) in callers)
        {
            using var client = host.CreateClient();
            present(client.DefaultRequestHeaders);
            foreach (var request in new Func<Task<HttpResponseMessage>>[]
            {
                () => client.CreateAsync(Guid.NewGuid(), "an intruder's memory"),
                () => client.PatchAsJsonAsync($"/memories/{id}", new { content = "overwritten" }),
                () => client.DeleteAsync($"/memories/{id}"),
                () => client.GetAsync($"/memories/{id}"),
                () => client.SearchAsync("original"),
                () => client.GetAsync("/pool"),
                () => client.GetAsync($"/memories/{Guid.NewGuid()}"),
            })
            {
                using var response = await request();
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {(int)response.StatusCode} {body}");
                Assert.DoesNotContain("original", body, StringComparison.Ordinal);
                Assert.DoesNotContain("\"detail\"", body, StringComparison.Ordinal);

                // Every refusal looks the same, whatever was presented and whether the memory exists (trace ids aside).
                answers.Add(System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", ""));
            }
        }

        var (status, after) = await http.GetJsonAsync($"/memories/{id}");
        var countAfter = (await http.GetJsonAsync("/memories/count")).Body.GetProperty("count").GetInt64();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before.ToString(), after.ToString());
        Assert.Equal(countBefore, countAfter);
        Assert.Single(answers);
    }
}
