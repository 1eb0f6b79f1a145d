using System.CommandLine;
using Capture.StationAgent.Core;
using Spectre.Console;

namespace Capture.StationAgent;

/// <summary>The agent's commands: <c>run</c> (scan, shoot, upload, verdicts) and <c>journal</c> (what the journal holds, offline).</summary>
public static class AgentCommands
{
    public static RootCommand Build()
    {
        var server = new Option<string>("--server") { Description = "The gateway's address.", DefaultValueFactory = _ => "http://localhost:8080" };
        server.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                r.AddError("--server must be the gateway's http(s) address, e.g. https://capture.example.edu.cn");
            }
        });
        var station = new Option<Guid>("--station") { Description = "The station's id (from the venue's station list).", Required = true };
        var folder = new Option<string>("--folder") { Description = "The folder the tethered camera writes into.", Required = true };
        var data = new Option<string?>("--data") { Description = "The agent's data folder (journal.db); default: per user, per station." };
        var token = new Option<string?>("--token") { Description = "A station-operator token pasted from the web page." };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the token (read again when it is refreshed)." };
        var devVenue = new Option<Guid?>("--dev-venue") { Description = "Development sign-in: the venue id for a /dev/token station-operator token." };
        var devSchool = new Option<string?>("--dev-school") { Description = "Development sign-in: the school code.", DefaultValueFactory = _ => "10385" };
        var devSubject = new Option<string?>("--dev-subject") { Description = "Development sign-in: who you are.", DefaultValueFactory = _ => Environment.UserName };
        var authority = new Option<string?>("--authority")
        {
            Description = "Sign in with the OpenID Connect device flow of this authority (the university's identity provider; Development: the gateway's /dev).",
        };
        authority.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value
                && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !DeviceFlowTokenSource.IsSecureEnough(uri)))
            {
                r.AddError("--authority must be the identity provider's https address (http only to this machine), e.g. https://idp.example.edu.cn");
            }
        });
        var clientId = new Option<string>("--client-id") { Description = "The agent's client id at the authority.", DefaultValueFactory = _ => "capture-station-agent" };
        var scope = new Option<string>("--scope") { Description = "The scopes the agent asks for (offline_access: a refresh token).", DefaultValueFactory = _ => "openid offline_access" };
        var signInStore = new Option<string?>("--sign-in-store") { Description = "Where the device flow's refresh token is kept (default: per user, protected)." };
        var session = new Option<Guid?>("--session") { Description = "Check students in to this session (default: the open one at the venue now)." };
        var keyframe = new Option<bool>("--keyframe") { Description = "Mark the first frame after each scan as the capture-code frame." };
        var stable = new Option<int>("--stable-ms") { Description = "How long a file must stay unchanged before it is read.", DefaultValueFactory = _ => 1000 };
        var plain = new Option<bool>("--plain") { Description = "Plain lines instead of the coloured screen (logs, scripts)." };

        var run = new Command("run", "Watch the camera folder, read scans from the keyboard/scanner, upload, show verdicts.")
        {
            server, station, folder, data, token, tokenFile, devVenue, devSchool, devSubject, authority, clientId, scope, signInStore, session, keyframe, stable, plain,
        };
        run.SetAction(async (parse, ct) =>
        {
            var options = new AgentOptions
            {
                Server = new Uri(parse.GetValue(server)!),
                StationId = parse.GetValue(station),
                HotFolder = Path.GetFullPath(parse.GetValue(folder)!),
                DataFolder = parse.GetValue(data) ?? DefaultDataFolder(parse.GetValue(station)),
                SessionId = parse.GetValue(session),
                KeyframeAfterScan = parse.GetValue(keyframe),
                StableFor = TimeSpan.FromMilliseconds(parse.GetValue(stable)),
            };
            var http = AgentHttp.CreateClient(options.Server);
            var console = parse.GetValue(plain) ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors }) : AnsiConsole.Console;
            if (await SignInAsync(parse, http, console, parse.GetValue(plain), ct) is not { } tokens)
            {
                return 2;
            }

            using var disposeTokens = tokens as IDisposable;
            await using var agent = new StationAgentCore(options, new CaptureApi(http, tokens));
            return await new AgentScreen(agent, console, Console.In).RunAsync(ct);
        });

        var venueOption = new Option<Guid?>("--venue") { Description = "The venue (default: --dev-venue)." };
        var stations = new Command("stations", "List the stations of your venue with their ids (to pick yours for run --station).")
        {
            server, token, tokenFile, devVenue, devSchool, devSubject, authority, clientId, scope, signInStore, venueOption, plain,
        };
        stations.SetAction(async (parse, ct) =>
        {
            var http = AgentHttp.CreateClient(new Uri(parse.GetValue(server)!));
            var console = parse.GetValue(plain) ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors }) : AnsiConsole.Console;
            if (await SignInAsync(parse, http, console, parse.GetValue(plain), ct) is not { } tokens
                || (parse.GetValue(venueOption) ?? parse.GetValue(devVenue)) is not { } venueId)
            {
                Console.Error.WriteLine("Give --venue (and sign in).");
                return 2;
            }

            var table = new Table().AddColumns("station", "id", "waiting", "last shoot number");
            foreach (var (id, code, waiting, last) in await new CaptureApi(http, tokens).StationsAsync(venueId, ct))
            {
                table.AddRow(Markup.Escape(code), id.ToString(), waiting.ToString(System.Globalization.CultureInfo.InvariantCulture), last ?? "-");
            }

            console.Write(table);
            (tokens as IDisposable)?.Dispose();
            return 0;
        });

        var journalData = new Option<string?>("--data") { Description = "The agent's data folder (journal.db)." };
        var journalStation = new Option<Guid?>("--station") { Description = "The station (to find the default data folder)." };
        var journal = new Command("journal", "List what the journal holds (works offline): every shot, its state and verdict.") { journalData, journalStation };
        journal.SetAction(parse =>
        {
            var folderPath = parse.GetValue(journalData) ?? DefaultDataFolder(parse.GetValue(journalStation) ?? Guid.Empty);
            using var j = Journal.Open(folderPath);
            var table = new Table().AddColumns("#", "file", "shoot number", "shot", "state", "verdict", "server id", "note");
            foreach (var s in j.All())
            {
                table.AddRow(s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(s.FileName), s.ShootNumber ?? "-",
                    s.ShotIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), Journal.StateText(s.State), s.Verdict ?? "-",
                    s.ServerPhotoId?.ToString() ?? "-", Markup.Escape(s.Error ?? ""));
            }

            AnsiConsole.Write(table);
            var (count, oldest) = j.Queue();
            AnsiConsole.MarkupLine($"unsent: {count}{(oldest is { } o ? $", oldest taken {o.ToLocalTime():HH:mm:ss}" : "")}");
            return 0;
        });

        return new RootCommand("Capture station agent: the photographer's laptop beside the tethered camera.") { run, stations, journal };

        async Task<ITokenSource?> SignInAsync(ParseResult parse, HttpClient http, IAnsiConsole console, bool plainScreen, CancellationToken ct)
        {
            if (parse.GetValue(authority) is { } authorityText)
            {
                var authorityUri = new Uri(authorityText);
                var client = parse.GetValue(clientId)!;
                var store = new ProtectedFileStore(parse.GetValue(signInStore) ?? ProtectedFileStore.DefaultPath(authorityUri, client));
                var deviceFlow = new DeviceFlowTokenSource(AgentHttp.CreateClient(authorityUri), authorityUri, client, parse.GetValue(scope)!, store, TimeProvider.System);
                deviceFlow.CodeIssued += prompt => SignInScreen.Show(console, prompt, plainScreen);
                deviceFlow.Notice += message => console.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
                if (!await deviceFlow.SignInAsync(ct))
                {
                    console.MarkupLine("[yellow]Not signed in yet: shots are kept in the journal; the sign-in starts again on the next call to the server.[/]");
                }

                return deviceFlow;
            }

            if (parse.GetValue(devVenue) is { } venue)
            {
                return new DevelopmentTokenSource(http, parse.GetValue(devSubject)!, parse.GetValue(devSchool)!, venue, TimeProvider.System);
            }

            if (parse.GetValue(token) is not null || parse.GetValue(tokenFile) is not null)
            {
                return new PastedTokenSource(parse.GetValue(token), parse.GetValue(tokenFile));
            }

            Console.Error.WriteLine("Sign in: give --authority (the device flow) or --token / --token-file (production), or --dev-venue (Development).");
            return null;
        }
    }

    public static string DefaultDataFolder(Guid station) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "CaptureStationAgent", station.ToString("N"));
}
