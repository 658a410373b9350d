namespace TeaFleet.Controller.Engine;

/// <summary>GETs health URLs until all answer 2xx, or the window closes.</summary>
public sealed class HealthChecker(HttpClient http, TimeProvider timeProvider)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task<StepOutcome> CheckAsync(IReadOnlyList<Uri> urls, TimeSpan window, Action<StepProgress> report, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + window;
        var pending = urls.ToList();
        var last = new Dictionary<Uri, string>();
        var attempt = 0;
        while (true)
        {
            attempt++;
            foreach (var url in pending.ToList())
            {
                var result = await ProbeAsync(url, cancellationToken).ConfigureAwait(false);
                last[url] = result.Text;
                if (result.Ok)
                {
                    pending.Remove(url);
                    report(new StepProgress(StepPhase.Progress, "health", $"{url} -> {result.Text}", -1, 0, timeProvider.GetUtcNow()));
                }
            }

            if (pending.Count == 0)
            {
                return StepOutcome.Success($"{urls.Count} health URL{(urls.Count == 1 ? "" : "s")} answered 2xx",
                    urls.ToDictionary(u => u.ToString(), u => last[u]));
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                return StepOutcome.Failure(
                    $"health check failed after {window.TotalSeconds:0} s: {string.Join("; ", pending.Select(u => $"{u} -> {last[u]}"))}",
                    data: urls.ToDictionary(u => u.ToString(), u => last[u]));
            }

            if (attempt == 1 || attempt % 5 == 0)
            {
                report(new StepProgress(StepPhase.Progress, "health", $"waiting for {string.Join(", ", pending.Select(u => $"{u} ({last[u]})"))}", -1, 0, timeProvider.GetUtcNow()));
            }

            await Task.Delay(Interval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<(bool Ok, string Text)> ProbeAsync(Uri url, CancellationToken cancellationToken) => ProbeAsync(url, TimeSpan.FromSeconds(5), cancellationToken);

    /// <summary>One GET: 2xx or not, and what answered ("HTTP 502", the connection error, "no answer within N s").</summary>
    public async Task<(bool Ok, string Text)> ProbeAsync(Uri url, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 300, $"HTTP {code}");
        }
        catch (HttpRequestException e)
        {
            return (false, e.InnerException?.Message ?? e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {wait.TotalSeconds:0} s");
        }
    }
}
