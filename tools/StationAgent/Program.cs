using System.CommandLine;
using Capture.StationAgent;

return await AgentCommands.Build().Parse(args).InvokeAsync();
