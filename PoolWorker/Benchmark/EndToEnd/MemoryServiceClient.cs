using System.Net.Http.Json;
using System.Text.Json;

namespace PoolWorker.Benchmark.EndToEnd;

/// <summary>The few calls of MemoryService's HTTP API the end-to-end scenario makes (see issue 9 for the contract).</summary>
internal sealed class MemoryServiceClient : IDisposable
{
    public const string Project = "poolworker-benchmark";

    private static readonly string[] Words =
    [
        "coffee", "tea", "python", "dotnet", "meeting", "monday", "deploy", "review", "holiday", "budget",
        "qdrant", "vector", "memory", "assistant", "preference", "dark", "mode", "editor", "deadline", "friday",
    ];

    private readonly HttpClient _http;

    public MemoryServiceClient(Uri baseAddress, string? apiKey)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
    }

    /// <summary>Stores <paramref name="count"/> memories with ids chosen here, so a second run overwrites rather than adds.</summary>
    public async Task<IReadOnlyList<Guid>> SeedAsync(int count, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var ids = new List<Guid>(count);
        var memories = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            var id = new Guid(bytes);
            ids.Add(id);
            memories.Add(new { id, content = Sentence(random), category = "fact", scope = "project", project = Project, tags = new[] { Project } });
        }

        using var response = await _http.PostAsJsonAsync("/memories/batch", new { memories }, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return ids;
    }

    public async Task GetAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/memories/{id}", cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    public async Task SearchAsync(Random random, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/memories/search", new { query = Sentence(random), limit = 10, project = Project }, cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    /// <summary>The service's <c>GET /pool</c> body, or null when it cannot be read.</summary>
    public async Task<JsonElement?> PoolAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetFromJsonAsync<JsonElement>("/pool", cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Sentence(Random random) =>
        string.Join(' ', Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)]));

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase} from {response.RequestMessage?.RequestUri?.AbsolutePath}: {body}", null, response.StatusCode);
        }
    }
}
