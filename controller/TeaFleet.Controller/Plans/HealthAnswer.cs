namespace TeaFleet.Controller.Plans;

/// <summary>What one GET of a health URL got: 2xx or not, and the answer ("HTTP 200", "Connection refused").</summary>
public sealed record HealthAnswer(Uri Url, bool Ok, string Text);
