using System.CommandLine;

namespace QdrantPool.LoadHarness;

/// <summary>The command line: the defaults give the published table in about three minutes.</summary>
internal static class HarnessCommand
{
    public static RootCommand Create()
    {
        var callers = new Option<int[]>("--callers")
        {
            Description = "Concurrent callers to measure with.",
            DefaultValueFactory = _ => [1, 10, 64],
            AllowMultipleArgumentsPerToken = true,
        };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds; the table gives their medians.", DefaultValueFactory = _ => 7 };
        var duration = new Option<double>("--duration") { Description = "Measured seconds per cell.", DefaultValueFactory = _ => 1.5 };
        var warmUp = new Option<double>("--warm-up") { Description = "Unmeasured seconds per cell before measuring.", DefaultValueFactory = _ => 0.5 };
        var points = new Option<int>("--points") { Description = "Points in the seeded collection.", DefaultValueFactory = _ => 10_000 };
        var maxIds = new Option<int>("--max-ids") { Description = "Each Get asks for 1 to this many random ids.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Random seed for the data and the ids asked for.", DefaultValueFactory = _ => 42 };
        var variants = new Option<string[]>("--variants")
        {
            Description = $"Variants to run (default all): {string.Join(", ", Variant.All.Select(v => v.Key))}.",
            AllowMultipleArgumentsPerToken = true,
        };

        var targets = new Option<int[]>("--targets")
        {
            Description = "Extra variants: the default pool with these fill targets (leases per connection before the next).",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new RootCommand(
            "Compares QdrantPool (shared and exclusive leases) with one singleton QdrantClient, interleaved in one run, "
            + "against a QdrantEmulator started as a separate process on loopback.")
        {
            callers, rounds, duration, warmUp, points, maxIds, seed, variants, targets,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new HarnessSettings(
                result.GetValue(callers)!,
                result.GetValue(rounds),
                TimeSpan.FromSeconds(result.GetValue(duration)),
                TimeSpan.FromSeconds(result.GetValue(warmUp)),
                result.GetValue(points),
                result.GetValue(maxIds),
                result.GetValue(seed),
                Variant.Select(result.GetValue(variants), result.GetValue(targets)));
            settings.Validate();
            return LoadRunner.RunAsync(settings, cancellationToken);
        });
        return command;
    }
}

internal sealed record HarnessSettings(
    int[] Callers,
    int Rounds,
    TimeSpan Duration,
    TimeSpan WarmUp,
    int Points,
    int MaxIds,
    int Seed,
    IReadOnlyList<Variant> Variants)
{
    /// <summary>Throws with a message naming the option when a value cannot work; durations are bounded so a run ends.</summary>
    public void Validate()
    {
        if (Callers.Length == 0 || Callers.Any(c => c is < 1 or > 1024))
        {
            throw new ArgumentException($"--callers needs one or more counts from 1 to 1024, was '{string.Join(' ', Callers)}'.");
        }

        if (Rounds is < 1 or > 20)
        {
            throw new ArgumentException($"--rounds must be 1..20, was {Rounds}.");
        }

        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromSeconds(60) || WarmUp < TimeSpan.Zero || WarmUp > TimeSpan.FromSeconds(30))
        {
            throw new ArgumentException($"--duration must be above 0 and at most 60 s, --warm-up 0 to 30 s (were {Duration.TotalSeconds} and {WarmUp.TotalSeconds}).");
        }

        if (Points is < 10 or > 1_000_000 || MaxIds < 1 || MaxIds > Points)
        {
            throw new ArgumentException($"--points must be 10..1,000,000 and --max-ids 1..points (were {Points} and {MaxIds}).");
        }

        if (!Variants.Any(v => v.IsBaseline))
        {
            throw new ArgumentException("--variants must include the singleton baseline.");
        }
    }
}
