using System.Text;
using Capture.StationAgent.Core;
using QRCoder;
using Spectre.Console;

namespace Capture.StationAgent;

/// <summary>
/// The device flow's prompt: the user code large, the address to type it at, and (coloured screen only) the address
/// with the code as a QR code for the phone's camera, drawn black on white with half blocks (two modules a line).
/// </summary>
public static class SignInScreen
{
    public static void Show(IAnsiConsole console, DeviceCodePrompt prompt, bool plain)
    {
        // One plain line in every mode: scripts and tests read it, and it is what a screen reader says.
        var line = $"SIGN IN: open {prompt.VerificationUri} and enter the code {prompt.UserCode} (valid until {prompt.ExpiresAt.ToLocalTime():HH:mm})";
        if (plain)
        {
            console.WriteLine(line);
            if (prompt.VerificationUriComplete is { } complete)
            {
                console.WriteLine($"or open {complete}");
            }

            return;
        }

        console.Write(new Rule("[bold]Sign in[/]"));
        console.Write(new FigletText(prompt.UserCode).Color(Color.Yellow));
        console.MarkupLine(Markup.Escape(line));
        if (prompt.VerificationUriComplete is { } uri)
        {
            console.MarkupLine($"or scan this with your phone ({Markup.Escape(uri.ToString())}):");
            console.Markup(QrMarkup(uri.ToString()));
        }
    }

    /// <summary>The QR code as Spectre markup: each character is two modules (▀ ▄ █ or a space), black on white whatever the terminal's colours.</summary>
    public static string QrMarkup(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        var modules = data.ModuleMatrix;
        var output = new StringBuilder();
        for (var row = 0; row < modules.Count; row += 2)
        {
            output.Append("[black on white]");
            for (var column = 0; column < modules[row].Length; column++)
            {
                var top = modules[row][column];
                var bottom = row + 1 < modules.Count && modules[row + 1][column];
                output.Append((top, bottom) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }

            output.Append("[/]\n");
        }

        return output.ToString();
    }
}
