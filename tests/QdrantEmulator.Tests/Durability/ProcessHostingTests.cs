using System.Net;
using System.Net.Sockets;

namespace QdrantEmulator.Tests.Durability;

/// <summary>How the built emulator binds when started as Aspire starts a project (ASPNETCORE_URLS and friends set).</summary>
public sealed class ProcessHostingTests
{
    [Fact]
    public async Task Start_WithAspNetCoreUrls_ListensOnlyWhereItsSettingsSay()
    {
        using var folder = new StorageFolder();
        var foreignPort = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{foreignPort}",
            ["ASPNETCORE_HTTP_PORTS"] = foreignPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        using var emulator = await EmulatorProcess.StartAsync(folder.Path, environment);
        using var client = emulator.CreateClient();
        await client.ListCollectionsAsync();

        Assert.NotEqual(foreignPort, emulator.GrpcEndpoint.Port);
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, foreignPort));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
