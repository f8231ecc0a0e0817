namespace Reliability.Tests.Soak;

/// <summary>
/// A soak test: minutes long, so outside the default suite. It runs only with <c>RELIABILITY_SOAK=1</c>; otherwise
/// it is reported as skipped with the command that runs it (never silently passed).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SoakFactAttribute : FactAttribute
{
    public const string Variable = "RELIABILITY_SOAK";

    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Soak test: run with {Variable}=1 dotnet test tests/Reliability.Tests --filter Category=Soak";
        }
    }
}
