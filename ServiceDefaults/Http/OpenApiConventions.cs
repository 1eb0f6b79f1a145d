using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;

namespace Capture.ServiceDefaults.Http;

/// <summary>Writes into every operation of the OpenAPI document who may call it, read from the endpoint's authorization metadata.</summary>
public static class OpenApiConventions
{
    public static OpenApiOptions AddCaptureConventions(this OpenApiOptions options)
    {
        // No server list: the document is read through the gateway as often as directly, and a client should call
        // whichever origin it fetched the document from, not the service's internal address.
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers?.Clear();
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            string who;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                who = "anyone (no token)";
            }
            else
            {
                var roles = metadata.OfType<IAuthorizeData>()
                    .SelectMany(a => (a.Roles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Distinct()
                    .ToArray();
                who = roles.Length == 0 ? "any signed-in caller" : "roles: " + string.Join(", ", roles);
            }

            operation.Description = string.IsNullOrEmpty(operation.Description)
                ? $"Who may call: {who}."
                : $"{operation.Description}\n\nWho may call: {who}.";
            return Task.CompletedTask;
        });
        return options;
    }
}
