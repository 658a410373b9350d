using System.Text;

namespace TeaFleet.Controller.Engine;

/// <summary>
/// Text for the HTML report: every character that means something in HTML or XML encoded (&amp; &lt; &gt;
/// and both quotes), and what XML 1.0 cannot hold (control characters, lone surrogates) dropped or
/// replaced, so the page stays well-formed whatever an agent's message carried.
/// </summary>
public static class Html
{
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
