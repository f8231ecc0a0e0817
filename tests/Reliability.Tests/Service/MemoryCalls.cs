using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reliability.Tests.Support;

namespace Reliability.Tests.Service;

/// <summary>The requests the service scenarios make, with the status and time of each.</summary>
internal static class MemoryCalls
{
    public static Task<HttpResponseMessage> CreateAsync(this HttpClient http, Guid id, string content) =>
        http.PostAsJsonAsync("/memories", new { id, content, category = "fact", tags = new[] { "reliability" } });

    public static Task<HttpResponseMessage> SearchAsync(this HttpClient http, string query) =>
        http.PostAsJsonAsync("/memories/search", new { query, limit = 5 });

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Waits until <c>/health</c> answers 200 with status Healthy (every check, the pool's and the collection's).</summary>
    public static Task WaitUntilHealthyAsync(this HttpClient http, TimeSpan? timeout = null)
    {
        var last = "";
        return Eventually.TrueAsync(
            async () =>
            {
                using var response = await http.GetAsync("/health");
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                return response.StatusCode == HttpStatusCode.OK && last.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal);
            },
            () => "/health to be Healthy; last: " + last,
            timeout);
    }

    public static async Task<long> ActiveLeasesAsync(this HttpClient http)
    {
        var (status, body) = await http.GetJsonAsync("/pool");
        return status == HttpStatusCode.OK ? body.GetProperty("activeLeases").GetInt64() : -1;
    }

    /// <summary>Runs a request and records how long it took.</summary>
    public static async Task<(HttpStatusCode Status, TimeSpan Took, HttpResponseMessage Response)> TimedAsync(Func<Task<HttpResponseMessage>> request)
    {
        var watch = Stopwatch.StartNew();
        var response = await request();
        return (response.StatusCode, watch.Elapsed, response);
    }
}
