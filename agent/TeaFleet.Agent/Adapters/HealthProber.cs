namespace TeaFleet.Agent.Adapters;

/// <summary>Asks the host's health URLs whether they answer 2xx.</summary>
public sealed class HealthProber(IHttpClientFactory httpClients)
{
    public const string ClientName = "health";

    /// <summary>null when the URL answered 2xx, else what it answered.</summary>
    public async Task<string?> ProbeAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await httpClients.CreateClient(ClientName).GetAsync(url, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"{url} answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return $"{url} failed: {ex.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{url} did not answer within 3 s";
        }
    }
}
