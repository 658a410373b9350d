namespace TeaFleet.Controller.Inventory;

/// <summary>
/// How a Type 2 rollback stops its users' traffic (runbook Type 2 step 1), per environment
/// ('traffic:' in the inventory): the runbook's command as written, its option B, or a real
/// maintenance page.
/// </summary>
public enum TrafficOption
{
    /// <summary>'traffic: stop' (the default): stop the app's frontend and backend (option A as the runbook's command writes it).</summary>
    Stop,

    /// <summary>'traffic: block': deny the public ports in ufw, open to the controller only (option B); let traffic back one host at a time after the checks.</summary>
    Block,

    /// <summary>'traffic: maintenance': the app's nginx shows the maintenance page (option A as its title says), the backend side stopped, the page down after the checks.</summary>
    Maintenance,
}
