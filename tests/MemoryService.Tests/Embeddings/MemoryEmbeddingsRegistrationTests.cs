using MemoryService.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MemoryService.Tests.Embeddings;

public sealed class MemoryEmbeddingsRegistrationTests
{
    [Fact]
    public async Task Hash_provider_is_registered_behind_telemetry_and_cache()
    {
        using var host = Build(("Memory:Embeddings:Provider", "Hash"));
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.Equal(WordHashEmbeddingGenerator.Dimensions, generator.GetDimensions());
        Assert.NotNull(generator.GetService<OpenTelemetryEmbeddingGenerator<string, Embedding<float>>>());
        Assert.NotNull(generator.GetService<DistributedCachingEmbeddingGenerator<string, Embedding<float>>>());
        Assert.NotNull(generator.GetService<WordHashEmbeddingGenerator>());

        var vector = await generator.GenerateVectorAsync("dark mode everywhere");
        Assert.Equal(WordHashEmbeddingGenerator.Embed("dark mode everywhere"), vector.ToArray());
    }

    [Fact]
    public void Hash_provider_adds_the_start_up_warning()
    {
        using var host = Build(("Memory:Embeddings:Provider", "Hash"));

        Assert.Contains(host.Services.GetServices<IHostedService>(), service => service is HashEmbeddingsWarning);
    }

    [Theory]
    [InlineData(null, "Local")]
    [InlineData("", "Local")]
    [InlineData("Local", "Local")]
    [InlineData("hash", "Hash")]
    [InlineData("HASH", "Hash")]
    public void Provider_is_read_case_insensitively_and_defaults_to_Local(string? value, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Memory:Embeddings:Provider", value)])
            .Build();

        Assert.Equal(expected, MemoryEmbeddingsExtensions.ReadProvider(configuration).ToString());
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("1")]
    public void Unknown_provider_fails_naming_the_key_and_the_choices(string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Memory:Embeddings:Provider"] = value;

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMemoryEmbeddings());

        Assert.Equal($"Memory:Embeddings:Provider is '{value}'; it must be one of: Local, Hash.", error.Message);
    }

    [Fact]
    public void Cache_size_zero_leaves_the_cache_out_of_the_pipeline()
    {
        using var host = Build(("Memory:Embeddings:Provider", "Hash"), ("Memory:Embeddings:CacheSizeMB", "0"));
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.Null(generator.GetService<DistributedCachingEmbeddingGenerator<string, Embedding<float>>>());
        Assert.NotNull(generator.GetService<OpenTelemetryEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Theory]
    [InlineData(null, 32)]
    [InlineData("", 32)]
    [InlineData("0", 0)]
    [InlineData("8", 8)]
    public void Cache_size_is_read_in_MiB_and_defaults_to_32(string? value, int expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Memory:Embeddings:CacheSizeMB", value)])
            .Build();

        Assert.Equal(expected, MemoryEmbeddingsExtensions.ReadCacheSizeMB(configuration));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("32MB")]
    [InlineData("20000")]
    public void Invalid_cache_size_fails_naming_the_key_and_the_range(string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Memory:Embeddings:CacheSizeMB"] = value;

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMemoryEmbeddings());

        Assert.Equal($"Memory:Embeddings:CacheSizeMB is '{value}'; it must be a whole number of MiB from 0 (no cache) to 16384.", error.Message);
    }

    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddMemoryEmbeddings();
        return builder.Build();
    }
}
