using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// <c>smoke.test</c>: the environment's smoke checks from the inventory, in order, through the app's
/// public address (the runbook's "login, view data, create test record, delete test record"). Each
/// must answer its expected status (2xx by default); values saved from one answer fill later paths.
/// </summary>
public sealed partial class SmokeTestStepExecutor(HttpClient http, TimeProvider timeProvider) : StepExecutor<SmokeTestStep>
{
    public override async Task<StepOutcome> ExecuteAsync(SmokeTestStep step, StepContext context, CancellationToken cancellationToken)
    {
        var environment = context.Inventory.Environments.FirstOrDefault(e => e.Name == context.Plan.Environment);
        if (environment?.Smoke is not { } smoke)
        {
            return StepOutcome.Failure($"the inventory has no 'smoke:' for environment '{context.Plan.Environment}' any more; add it or run the checks by hand");
        }

        var saved = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var check in smoke.Checks)
        {
            var path = Placeholder().Replace(check.Path, m => Uri.EscapeDataString(saved.GetValueOrDefault(m.Groups[1].Value) ?? ""));
            var url = new Uri(smoke.BaseUrl, path);
            using var request = new HttpRequestMessage(new HttpMethod(check.Method), url);
            if (check.Body is { } body)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            string text;
            int code;
            try
            {
                using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                code = (int)response.StatusCode;
                text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return StepOutcome.Failure($"smoke check '{check.Name}' ({check.Method} {url}): no answer ({e.Message})", data: results);
            }

            var ok = check.Expect is { } expected ? code == expected : code is >= 200 and < 300;
            results[check.Name] = $"{check.Method} {path} -> HTTP {code}";
            context.Report(new StepProgress(StepPhase.Progress, "smoke", $"{check.Name}: {check.Method} {url} -> HTTP {code}", -1, 0, timeProvider.GetUtcNow()));
            if (!ok)
            {
                return StepOutcome.Failure(
                    $"smoke check '{check.Name}' ({check.Method} {url}) answered HTTP {code}, expected {(check.Expect?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "2xx")}: {Shorten(text)}", data: results);
            }

            if (check.Save is { } name)
            {
                var value = Read(text, name);
                if (value is null)
                {
                    return StepOutcome.Failure($"smoke check '{check.Name}': its answer has no '{name}' to save: {Shorten(text)}", data: results);
                }

                saved[name] = value;
            }
        }

        return StepOutcome.Success($"{smoke.Checks.Count} smoke check(s) passed: {string.Join(", ", smoke.Checks.Select(c => c.Name))}", results);
    }

    private static string? Read(string json, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
