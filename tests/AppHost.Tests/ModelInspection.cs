namespace AppHost.Tests;

/// <summary>Reads the application model the AppHost built, without starting anything.</summary>
internal static class ModelInspection
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<IDistributedApplicationTestingBuilder> CreateModelAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args).WaitAsync(Timeout);

    public static T Single<T>(this IDistributedApplicationTestingBuilder builder, string name) where T : IResource =>
        Assert.IsType<T>(Assert.Single(builder.Resources, r => r.Name == name), exactMatch: false);

    /// <summary>Runs the resource's environment callbacks as a run would, leaving values unresolved.</summary>
    public static async Task<Dictionary<string, object>> EnvironmentAsync(
        this IDistributedApplicationTestingBuilder builder, IResource resource)
    {
        var variables = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource, variables);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return variables;
    }

    public static EndpointAnnotation Endpoint(this IResource resource, string name) =>
        Assert.Single(resource.Annotations.OfType<EndpointAnnotation>(), e => e.Name == name);

    /// <summary>The manifest form of a value: parameters and endpoints stay as placeholders.</summary>
    public static string? Expression(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider provider => provider.ValueExpression,
        _ => value.ToString(),
    };
}
