using System.Collections;
using QdrantEmulator.Hosting;

namespace QdrantEmulator.Tests.Hosting;

public sealed class EmulatorSettingsTests
{
    [Fact]
    public void New_Defaults_AreQdrantsExceptLoopbackHost()
    {
        var settings = new EmulatorSettings();

        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(6334, settings.GrpcPort);
        Assert.Equal(6333, settings.HttpPort);
        Assert.Equal("./storage", settings.StoragePath);
        Assert.Null(settings.ApiKey);
        Assert.Null(settings.ReadOnlyApiKey);
    }

    [Fact]
    public void FromEnvironment_QdrantVariables_AreRead()
    {
        var environment = new Hashtable
        {
            ["QDRANT__SERVICE__API_KEY"] = "k",
            ["QDRANT__SERVICE__READ_ONLY_API_KEY"] = "r",
            ["QDRANT__SERVICE__HOST"] = "0.0.0.0",
            ["QDRANT__SERVICE__GRPC_PORT"] = "7334",
            ["QDRANT__SERVICE__HTTP_PORT"] = "7333",
            ["QDRANT__STORAGE__STORAGE_PATH"] = "/data",
        };

        var settings = EmulatorSettings.FromEnvironment(environment);

        Assert.Equal(("k", "r", "0.0.0.0", 7334, 7333, "/data"),
            (settings.ApiKey, settings.ReadOnlyApiKey, settings.Host, settings.GrpcPort, settings.HttpPort, settings.StoragePath));
    }

    [Fact]
    public void FromEnvironment_BadPort_NamesTheVariable()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            EmulatorSettings.FromEnvironment(new Hashtable { ["QDRANT__SERVICE__GRPC_PORT"] = "grpc" }));

        Assert.Contains("QDRANT__SERVICE__GRPC_PORT", error.Message);
        Assert.Contains("'grpc'", error.Message);
    }

    [Fact]
    public void Validate_SamePorts_NamesBothSettings()
    {
        var error = Assert.Throws<ArgumentException>(() => new EmulatorSettings { GrpcPort = 7000, HttpPort = 7000 }.Validate());

        Assert.Contains("QDRANT__SERVICE__GRPC_PORT", error.Message);
        Assert.Contains("QDRANT__SERVICE__HTTP_PORT", error.Message);
    }

    [Fact]
    public async Task StartAsync_PortZero_ReportsBoundPorts()
    {
        var storage = Path.Combine(Path.GetTempPath(), "qdrant-emulator-settings", Guid.NewGuid().ToString("N"));
        try
        {
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorSettings { GrpcPort = 0, HttpPort = 0, StoragePath = storage });

            Assert.NotEqual(0, emulator.GrpcEndpoint.Port);
            Assert.NotEqual(0, emulator.HttpEndpoint.Port);
            Assert.NotEqual(emulator.GrpcEndpoint.Port, emulator.HttpEndpoint.Port);
            Assert.Equal("127.0.0.1", emulator.GrpcEndpoint.Host);
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }
}
