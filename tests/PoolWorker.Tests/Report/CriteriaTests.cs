using PoolWorker.Benchmark.Report;
using PoolWorker.Tests.Support;

namespace PoolWorker.Tests.Report;

public class CriteriaTests
{
    private static CriterionResult Judge(List<ScenarioResult> scenarios, string name, List<SkippedScenario>? skipped = null) =>
        SampleReport.Report(scenarios, skipped).Criteria.Single(c => c.Name == name);

    [Fact]
    public void AllWithinLimits_EveryCriterionPasses_AndRecoveryIsNotJudgedWhenSkipped()
    {
        var report = SampleReport.Report(SampleReport.Passing());

        Assert.All(report.Criteria.Where(c => c.Name != "Automatic recovery"), c => Assert.True(c.Passed, c.Name + ": " + c.Detail));
        var recovery = report.Criteria.Single(c => c.Name == "Automatic recovery");
        Assert.Null(recovery.Passed);
        Assert.Contains("no --restart-command", recovery.Detail, StringComparison.Ordinal);
        Assert.True(report.Passed);
    }

    [Theory]
    [InlineData(950, true)]   // exactly 0.95 × the singleton's 1,000
    [InlineData(949, false)]
    public void SingletonCriterion_AtTheToleranceBoundary(double poolThroughput, bool passed) =>
        Assert.Equal(passed, Judge(SampleReport.Passing(poolThroughput), "Throughput ≥ 0.95 × the singleton client").Passed);

    [Fact]
    public void SingletonCriterion_StatesTheMeasuredNoise()
    {
        var detail = Judge(SampleReport.Passing(), "Throughput ≥ 0.95 × the singleton client").Detail;

        // Pool rounds 980 and 1,020 ops/s: a 4.0 % spread.
        Assert.Contains("4.0 %", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void PerOperationCriterion_FailsWhenThePoolIsSlower() =>
        Assert.False(Judge(SampleReport.Passing(poolThroughput: 40), "Throughput ≥ the per-operation client").Passed);

    [Theory]
    [InlineData(4.0, true)]
    [InlineData(4.01, false)]
    public void P95Criterion_IsAtMostFourMilliseconds(double p95, bool passed) =>
        Assert.Equal(passed, Judge(SampleReport.Passing(p95: p95), "P95 latency ≤ 4 ms").Passed);

    [Fact]
    public void ConnectionsCriterion_FailsWhenAnyPoolRunExceedsMaxSize()
    {
        var result = Judge(SampleReport.Passing(poolPeak: 6), "Connections ≤ MaxSize in every scenario");

        Assert.False(result.Passed);
        Assert.Contains("peak 6", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.999, 4.99, true)]
    [InlineData(1.0, 0.1, false)]
    [InlineData(0.1, 5.0, false)]
    public void AcquireCriterion_NeedsAverageUnderOneAndP95UnderFive(double avg, double p95, bool passed) =>
        Assert.Equal(passed, Judge(SampleReport.Passing(acquireAvg: avg, acquireP95: p95), "Acquire avg < 1 ms and P95 < 5 ms").Passed);

    [Theory]
    [InlineData(9, true)]    // 0.9 % of 1,000 operations
    [InlineData(10, false)]  // 1 %
    public void HealthCheckCriterion_IsUnderOnePercentOfOperations(long failures, bool passed) =>
        Assert.Equal(passed, Judge(SampleReport.Passing(healthCheckFailures: failures), "Health-check failures < 1 %").Passed);

    [Fact]
    public void ACriterionFailing_FailsTheReport() =>
        Assert.False(SampleReport.Report(SampleReport.Passing(p95: 10)).Passed);

    [Fact]
    public void WithoutScenarioThree_ThroughputCriteriaAreNotJudged()
    {
        var report = SampleReport.Report([]);

        Assert.Null(report.Criteria.Single(c => c.Name == "Throughput ≥ 0.95 × the singleton client").Passed);
        Assert.True(report.Passed);
    }

    [Fact]
    public void RecoveryCriterion_FollowsTheRecoveryFigures()
    {
        var scenarios = SampleReport.Passing();
        var recovered = SampleReport.Variant("pool-shared", 100) with { Recovery = new RecoveryFigures(0.5, 12, 0.8, 1.2, 5, 5, true, true) };
        scenarios.Add(new ScenarioResult("recovery", 5, 10, "get", [recovered]));

        Assert.True(Judge(scenarios, "Automatic recovery", []).Passed);

        scenarios[^1] = scenarios[^1] with { Variants = [recovered with { Recovery = recovered.Recovery! with { TimeToFirstSuccessSeconds = null, Recovered = false } }] };
        Assert.False(Judge(scenarios, "Automatic recovery", []).Passed);
    }
}
