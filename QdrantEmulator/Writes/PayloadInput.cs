using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;
using QdrantEmulator.Grpc;

namespace QdrantEmulator.Writes;

/// <summary>Payload checks Qdrant makes when converting protobuf values to JSON (lib/api/src/conversions/json.rs).</summary>
internal static class PayloadInput
{
    public static void Check(MapField<string, Value> payload)
    {
        foreach (var value in payload.Values)
        {
            Check(value);
        }
    }

    private static void Check(Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.DoubleValue when !double.IsFinite(value.DoubleValue):
                throw QdrantErrors.InvalidArgument("cannot convert to json number");
            case Value.KindOneofCase.StructValue:
                Check(value.StructValue.Fields);
                break;
            case Value.KindOneofCase.ListValue:
                foreach (var item in value.ListValue.Values)
                {
                    Check(item);
                }

                break;
        }
    }
}
