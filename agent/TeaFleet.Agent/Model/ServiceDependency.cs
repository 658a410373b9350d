namespace TeaFleet.Agent.Model;

/// <summary>One entry of a service's <c>depends_on</c>: the service and compose's condition (<c>service_started</c> for the short form).</summary>
public sealed record ServiceDependency(string Service, string Condition)
{
    public const string Started = "service_started";
    public const string Healthy = "service_healthy";
    public const string CompletedSuccessfully = "service_completed_successfully";
}
