namespace MemoryAspire.Hosting;

/// <summary>Where the AppHost's Qdrant comes from (configuration key <c>Qdrant:Mode</c>).</summary>
public enum QdrantMode
{
    /// <summary>The container when a container runtime answers, otherwise the emulator.</summary>
    Auto,

    /// <summary>The real <c>qdrant/qdrant</c> container; fails at start when no container runtime answers.</summary>
    Container,

    /// <summary>The QdrantEmulator project, a development stand-in that needs no container runtime.</summary>
    Emulator,

    /// <summary>A Qdrant you run yourself, from <c>ConnectionStrings:qdrant</c>.</summary>
    External,
}

/// <summary>What the AppHost chose, and the one line it logs to say why.</summary>
internal sealed record QdrantModeDecision(QdrantMode Mode, string Reason, string? ContainerRuntime = null);

/// <summary>The AppHost cannot honour the Qdrant configuration; the message says what to set.</summary>
public sealed class QdrantConfigurationException(string message) : InvalidOperationException(message);
