Console.WriteLine("QdrantEmulator: not yet implemented");
