using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeaFleet.Controller.Plans;

/// <summary>A <see cref="StepCondition"/> as the journal has always written it: "", "previous-failed", "succeeded:N", "undoes:N" (and "undoes-tried:N").</summary>
public sealed class StepConditionJsonConverter : JsonConverter<StepCondition>
{
    public override StepCondition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
        return StepCondition.Parse(text) ?? throw new JsonException($"'{text}' is not a step condition (\"\", \"previous-failed\", \"succeeded:N\", \"undoes:N\" or \"undoes-tried:N\").");
    }

    public override void Write(Utf8JsonWriter writer, StepCondition value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
