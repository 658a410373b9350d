namespace TeaFleet.Controller.Inventory;

/// <summary>A malformed inventory; the message starts with FILE:LINE:COLUMN.</summary>
public sealed class InventoryException(string message) : Exception(message);
