using System.Text;
using System.Text.Json;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// Writes the command's JSON. Utf8JsonWriter prints doubles in the shortest form that round-trips, in
/// invariant culture, so the numbers carry full precision. Channel dictionaries arrive sorted by name.
/// </summary>
internal static class ResultJsonWriter
{
    public static string Heuristic(string model, IReadOnlyDictionary<string, ChannelCredit> channels) =>
        Write(model, writer => WriteChannels(writer, "channels", channels));

    public static string Markov(MarkovResult result) =>
        Write("markov", writer =>
        {
            writer.WriteNumber("order", result.Order);
            writer.WriteNumber("conversion_probability", result.ConversionProbability);
            WriteChannels(writer, "channels", result.Channels);
            WriteNumbers(writer, "removal_effects", result.RemovalEffects);
            WriteNumbers(writer, "value_removal_effects", result.ValueRemovalEffects);
        });

    public static string Shapley(ShapleyResult result) =>
        Write("shapley", writer =>
        {
            writer.WriteBoolean("exact", result.IsExact);
            writer.WriteNumber("permutations", result.Permutations);
            WriteChannels(writer, "channels", result.Channels);
            if (!result.IsExact)
            {
                WriteChannels(writer, "standard_errors", result.StandardErrors);
            }
        });

    private static string Write(string model, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static void WriteChannels(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, ChannelCredit> channels)
    {
        writer.WriteStartObject(name);
        foreach (var (channel, credit) in channels)
        {
            writer.WriteStartObject(channel);
            writer.WriteNumber("conversions", credit.Conversions);
            writer.WriteNumber("value", credit.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> values)
    {
        writer.WriteStartObject(name);
        foreach (var (channel, value) in values)
        {
            writer.WriteNumber(channel, value);
        }

        writer.WriteEndObject();
    }
}
