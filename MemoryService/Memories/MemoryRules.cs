namespace MemoryService.Memories;

/// <summary>The limits a memory and a request must keep. Messages quote these values.</summary>
public static class MemoryRules
{
    public const int MaxContentLength = 10_000;
    public const int MaxProjectLength = 100;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataKeyLength = 100;
    public const int MaxMetadataValueLength = 1_000;
    public const double DefaultImportance = 0.5;
    public const int MaxBatchSize = 500;

    public const int DefaultSearchLimit = 10;
    public const int MaxSearchLimit = 100;
    public const int DefaultListLimit = 20;
    public const int MaxListLimit = 100;
}
