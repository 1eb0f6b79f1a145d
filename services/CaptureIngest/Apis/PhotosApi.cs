using System.Globalization;
using System.Security.Claims;
using Capture.CaptureIngest.Domain;
using Capture.CaptureIngest.Infrastructure;
using Capture.Contracts.CaptureIngest;
using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Capture.CaptureIngest.Apis;

/// <summary>Photos from stations: upload (stored before acknowledged), the station's photos with verdicts, one photo, picking the final shot.</summary>
public static partial class PhotosApi
{
    public const string RawBucket = "photos-raw";
    public const string StandardizedBucket = "photos-standardized";

    public static RouteGroupBuilder MapPhotosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(CaptureIngestDbContext.RoutePrefix).WithTags("Photos");
        group.MapPost("/stations/{stationId:guid}/photos", UploadAsync).WithName("UploadPhoto")
            .WithSummary("Stores a photo from a station (raw image/jpeg or image/png body, or multipart with a 'photo' file part) for a shoot number; "
                + "201 once stored and recorded, 200 for the same bytes again (same photo), 413 over 60 MB, 415 not a JPEG/PNG, 422 truncated/corrupt/too many pixels.")
            .RequireRoles(CaptureRoles.StationOperator)
            .Accepts<Stream>("image/jpeg", "image/png", "multipart/form-data")
            .DisableAntiforgery();
        group.MapGet("/stations/{stationId:guid}/photos", ListAsync).WithName("ListStationPhotos")
            .WithSummary("A station's photos of a day, newest first, with binding and verdict (pass/fail, failed measures and reasons).")
            .RequireRoles(CaptureRoles.StationOperator, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapGet("/photos/{photoId:guid}", GetAsync).WithName("GetPhoto")
            .WithSummary("One photo with its quality report and a preview URL of the standardised image valid for minutes (access is audited).")
            .RequireRoles(CaptureRoles.StationOperator, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        group.MapPost("/photos/{photoId:guid}/accept", AcceptAsync).WithName("AcceptPhoto")
            .WithSummary("Picks this shot as the student's final photo (PhotoAccepted). A shot that failed a measure needs overrideReason.")
            .RequireRoles(CaptureRoles.StationOperator, CaptureRoles.SchoolAdmin, CaptureRoles.Ops);
        return group;
    }

    private static async Task<Results<Created<PhotoView>, Ok<PhotoView>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        Guid stationId, HttpContext http, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        if (http.Request.ContentLength > Limits.MaxPhotoBytes + MultipartAllowance)
        {
            return TooLarge();
        }

        var station = await s.Db.Stations.AsNoTracking().FirstOrDefaultAsync(x => x.StationId == stationId, ct);
        if (station is null)
        {
            return Problems.NotFound($"Station {stationId} is not known here yet. Stations are learned from Scheduling when they are created; if it was created a moment ago, send again in a few seconds.");
        }

        if (!user.MayRunVenue(station.VenueId))
        {
            return Problems.Forbidden($"Station {station.Code} belongs to venue {station.VenueId}; your token is for venue {user.Venue()}. Upload from a station of your own venue.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = Limits.MaxPhotoBytes + MultipartAllowance;
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in http.Request.Query)
        {
            fields[key] = value.ToString();
        }

        SpooledUpload? spooled = null;
        try
        {
            try
            {
                if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                {
                    var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
                    if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
                    {
                        return Problems.Invalid("body", "A multipart body needs a boundary (at most 200 characters) in its Content-Type.");
                    }

                    var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
                    while (await reader.ReadNextSectionAsync(ct) is { } section)
                    {
                        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                        {
                            continue;
                        }

                        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                        if (disposition.IsFileDisposition() || name.Equals("photo", StringComparison.OrdinalIgnoreCase))
                        {
                            if (spooled is not null)
                            {
                                return Problems.Invalid("photo", "Send one photo per request.");
                            }

                            spooled = await UploadReceiver.SpoolAsync(section.Body, Limits.MaxPhotoBytes, ct);
                        }
                        else if (name.Length is > 0 and <= 32)
                        {
                            using var text = new StreamReader(section.Body);
                            var buffer = new char[257];
                            var read = await text.ReadBlockAsync(buffer, ct);
                            if (read > 256)
                            {
                                return Problems.Invalid(name, "A form field is at most 256 characters.");
                            }

                            fields[name] = new string(buffer, 0, read);
                        }
                    }

                    if (spooled is null)
                    {
                        return Problems.Invalid("photo", "The multipart body has no file part: add the photo as a part named 'photo'.");
                    }
                }
                else
                {
                    spooled = await UploadReceiver.SpoolAsync(http.Request.Body, Limits.MaxPhotoBytes, ct);
                }
            }
            catch (UploadRefusedException refused)
            {
                // Refused part way (a PDF is known by its first bytes): the rest of the body is not read.
                BodyLimits.CloseConnection(http);
                return refused.Status == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge()
                    : TypedResults.Problem(statusCode: refused.Status, title: "Not a photo", detail: refused.Message);
            }
            catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge();
            }
            catch (InvalidDataException bad)
            {
                return Problems.Invalid("body", $"The multipart body is malformed ({bad.Message}): send a raw image/jpeg body or well-formed multipart/form-data.");
            }

            var input = ParseFields(fields, s.Time.GetUtcNow());
            if (input.Problem is { } invalid)
            {
                return invalid;
            }

            HeaderCheck check;
            await using (var file = spooled.OpenRead())
            {
                check = ImageSniffer.Check(file);
            }

            if (check.Header is not { } header)
            {
                return TypedResults.Problem(statusCode: check.Status, title: check.Status == 415 ? "Not a photo" : "Unreadable photo", detail: check.Problem);
            }

            return await StoreAsync(station, input, spooled, header, user, s, ct);
        }
        finally
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync();
            }
        }
    }

    /// <summary>Multipart headers and boundaries on top of the photo itself.</summary>
    private const long MultipartAllowance = 64 * 1024;

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Photo too large",
        detail: $"A photo may be at most {Limits.MaxPhotoBytes / (1024 * 1024)} MB (a 50-megapixel JPEG is about 25 MB): check the camera's file format (JPEG, not RAW or TIFF).");

    private sealed record UploadInput(string ShootNumber, int ShotIndex, bool Keyframe, DateTimeOffset TakenAt, ValidationProblem? Problem);

    private static UploadInput ParseFields(Dictionary<string, string> fields, DateTimeOffset now)
    {
        static UploadInput Bad(string field, string fix) => new("", 0, false, default, Problems.Invalid(field, fix));

        var shoot = fields.GetValueOrDefault("shootNumber")?.Trim().ToUpperInvariant();
        if (!BindingRules.IsShootNumber(shoot))
        {
            return Bad("shootNumber", "Give the shoot number issued at check-in, station code, dash, number (e.g. B2-0137), at most 24 characters.");
        }

        var shot = 1;
        if (fields.TryGetValue("shot", out var shotText) && (!int.TryParse(shotText, NumberStyles.None, CultureInfo.InvariantCulture, out shot) || shot is < 1 or > Limits.MaxShotIndex))
        {
            return Bad("shot", $"Give the shot's index for this student, 1-{Limits.MaxShotIndex}.");
        }

        var keyframe = false;
        if (fields.TryGetValue("keyframe", out var keyText) && !bool.TryParse(keyText, out keyframe))
        {
            return Bad("keyframe", "Give true when this frame shows the student's capture code (QR), else false or nothing.");
        }

        var takenAt = now;
        if (fields.TryGetValue("takenAt", out var takenText) && takenText.Length > 0)
        {
            if (takenText.Length > 40 || !DateTimeOffset.TryParse(takenText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out takenAt))
            {
                return Bad("takenAt", "Give when the shot was taken as an ISO 8601 instant with offset, e.g. 2030-10-25T09:15:03+08:00.");
            }

            if (takenAt > now.AddMinutes(5) || takenAt < now.AddDays(-30))
            {
                return Bad("takenAt", "The shot's time must be within the last 30 days and not in the future: check the camera laptop's clock.");
            }
        }

        return new UploadInput(shoot!, shot, keyframe, takenAt, null);
    }

    private static async Task<Results<Created<PhotoView>, Ok<PhotoView>, ValidationProblem, ProblemHttpResult>> StoreAsync(
        KnownStation station, UploadInput input, SpooledUpload spooled, ImageHeader header, ClaimsPrincipal user, CaptureIngestServices s, CancellationToken ct)
    {
        var log = s.Loggers.CreateLogger("Capture.CaptureIngest.Upload");
        var day = ShanghaiTime.Today(input.TakenAt);

        // A retry of a photo already stored: answer with it before touching storage.
        var known = await s.Db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.StationId == station.StationId && p.ShootNumber == input.ShootNumber && p.Sha256 == spooled.Sha256, ct);
        if (known is not null)
        {
            return TypedResults.Ok(PhotoView.From(known, await IsAcceptedAsync(s.Db, known, ct)));
        }

        var id = Guid.CreateVersion7();
        var extension = header.Format == "png" ? "png" : "jpg";
        var key = $"{station.SchoolCode}/{day:yyyy-MM-dd}/{station.StationId:N}/{id:N}.{extension}";
        try
        {
            await using var file = spooled.OpenRead();
            await s.Storage.PutAsync(RawBucket, key, file, spooled.Size, header.ContentType, ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or Minio.Exceptions.MinioException or InvalidOperationException)
        {
            LogStorageFailed(log, e, station.Code, input.ShootNumber);
            return Problems.Unavailable("The photo store cannot be reached, so the photo is NOT stored: keep the file and send it again (the same bytes are never stored twice).");
        }

        // The stored bytes, still on local disk, go to this process's worker, which then need not read them back.
        s.Handoff.TryKeep(id, spooled);
        var now = s.Time.GetUtcNow();
        var photo = Photo.Uploaded(id, station.SchoolCode, station.VenueId, station.StationId, day, input.ShootNumber, input.ShotIndex, input.Keyframe,
            spooled.Sha256, spooled.Size, header.ContentType, key, header.Width, header.Height, input.TakenAt, now, user.Subject() ?? "unknown");
        try
        {
            var strategy = s.Db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await s.Db.Database.BeginTransactionAsync(ct);
                await PhotoBinder.LockAsync(s.Db, station.StationId, day, input.ShootNumber, ct);
                s.Db.Photos.Add(photo);
                s.Db.AddIntegrationEvent(new PhotoUploaded(id, station.SchoolCode, station.VenueId, station.StationId.ToString(), input.ShootNumber, input.ShotIndex,
                    key, spooled.Sha256, spooled.Size, header.ContentType, now));
                await s.Db.SaveChangesAsync(ct);
                await PhotoBinder.ApplyAsync(s.Db, station.StationId, day, input.ShootNumber, now, recheckBound: false, s.Metrics, ct);
                await s.Db.SaveChangesAsync(ct);
                await VerdictNotifier.NotifyAsync(s.Db, station.StationId, id, ct);
                await transaction.CommitAsync(ct);
            });
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same bytes arrived twice at the same moment: the other request stored them first.
            s.Db.ChangeTracker.Clear();
            s.Handoff.Discard(id);
            await DeleteQuietlyAsync(s, key, log);
            var winner = await s.Db.Photos.AsNoTracking().FirstAsync(p => p.StationId == station.StationId && p.ShootNumber == input.ShootNumber && p.Sha256 == spooled.Sha256, ct);
            return TypedResults.Ok(PhotoView.From(winner, await IsAcceptedAsync(s.Db, winner, ct)));
        }
        catch (Exception e) when (e is NpgsqlException or DbUpdateException or TimeoutException)
        {
            LogDatabaseFailed(log, e, station.Code, input.ShootNumber);
            s.Handoff.Discard(id);
            await DeleteQuietlyAsync(s, key, log);
            return Problems.Unavailable("The photo could not be recorded, so it is NOT stored: keep the file and send it again.");
        }

        s.Metrics.Uploaded(station.VenueId.ToString(), station.StationId.ToString());
        LogStored(log, photo.Id, station.Code, input.ShootNumber, input.ShotIndex, spooled.Size, photo.Status.ToString());
        return TypedResults.Created($"{CaptureIngestDbContext.RoutePrefix}/photos/{photo.Id}", PhotoView.From(photo, accepted: false));
    }

    private static async Task DeleteQuietlyAsync(CaptureIngestServices s, string key, ILogger log)
    {
        try
        {
            await s.Storage.DeleteAsync(RawBucket, key, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or Minio.Exceptions.MinioException)
        {
            LogOrphan(log, e, key);
        }
    }

    private static Task<bool> IsAcceptedAsync(CaptureIngestDbContext db, Photo photo, CancellationToken ct) =>
        db.AcceptedPhotos.AnyAsync(a => a.PhotoId == photo.Id, ct);

    private static async Task<Results<Ok<List<PhotoView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid stationId, [AsParameters] StationPhotosQuery query, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var station = await s.Db.Stations.AsNoTracking().FirstOrDefaultAsync(x => x.StationId == stationId, ct);
        if (station is null || !user.MayView(station.SchoolCode, station.VenueId))
        {
            return Problems.NotFound($"No station {stationId} in your scope.");
        }

        if (query.Limit is < 1 or > 200)
        {
            return Problems.Invalid("limit", "Give 1-200.");
        }

        if (query.ShootNumber is { } sn && !BindingRules.IsShootNumber(sn.Trim().ToUpperInvariant()))
        {
            return Problems.Invalid("shootNumber", "Give a shoot number like B2-0137.");
        }

        var day = query.Day ?? ShanghaiTime.Today(s.Time.GetUtcNow());
        var photos = s.Db.Photos.AsNoTracking().Where(p => p.StationId == stationId && p.Day == day);
        if (query.ShootNumber is { } shoot)
        {
            var normal = shoot.Trim().ToUpperInvariant();
            photos = photos.Where(p => p.ShootNumber == normal);
        }

        var rows = await photos.OrderByDescending(p => p.UploadedAt).Take(query.Limit ?? 50).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var accepted = await s.Db.AcceptedPhotos.AsNoTracking().Where(a => ids.Contains(a.PhotoId)).Select(a => a.PhotoId).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => PhotoView.From(r, accepted.Contains(r.Id))).ToList());
    }

    private static async Task<Results<Ok<PhotoView>, ProblemHttpResult>> GetAsync(
        Guid photoId, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var photo = await s.Db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == photoId, ct);
        if (photo is null || !user.MayView(photo.SchoolCode, photo.VenueId))
        {
            return Problems.NotFound($"No photo {photoId} in your scope.");
        }

        Uri? preview = null;
        if (photo.StandardizedObjectKey is { } key)
        {
            preview = await s.Storage.PresignGetAsync(StandardizedBucket, key, s.Options.Value.PreviewLifetime);
            LogPreviewIssued(s.Loggers.CreateLogger("Capture.CaptureIngest.Access"), photo.Id, user.FindFirst(CaptureClaims.Role)?.Value ?? "", user.Subject() ?? "");
        }

        return TypedResults.Ok(PhotoView.From(photo, await IsAcceptedAsync(s.Db, photo, ct), preview));
    }

    private static async Task<Results<Ok<PhotoView>, ValidationProblem, ProblemHttpResult>> AcceptAsync(
        Guid photoId, AcceptPhotoRequest? request, ClaimsPrincipal user, [AsParameters] CaptureIngestServices s, CancellationToken ct)
    {
        if (user.MissingClaim() is { } missing)
        {
            return missing;
        }

        var photo = await s.Db.Photos.FirstOrDefaultAsync(p => p.Id == photoId, ct);
        if (photo is null || !user.MayView(photo.SchoolCode, photo.VenueId))
        {
            return Problems.NotFound($"No photo {photoId} in your scope.");
        }

        var reason = request?.OverrideReason?.Trim();
        if (reason is { Length: > Limits.Reason } || (reason is not null && !Limits.IsCleanText(reason)))
        {
            return Problems.Invalid("overrideReason", $"At most {Limits.Reason} characters, and no control characters.");
        }

        if (photo.Status != PhotoStatus.Bound || photo.RegistrationId is null)
        {
            return Problems.Conflict($"Photo {photoId} is {PhotoView.Kebab(photo.Status.ToString())}, not bound to a student: only a bound photo can be the final one.", "not-bound");
        }

        if (photo.Verdict is Verdict.Pending or Verdict.Rejected)
        {
            return Problems.Conflict(photo.Verdict == Verdict.Pending
                ? "This shot is still being standardised: wait for its verdict (a second or two)."
                : $"This shot has no standardised image ({photo.RejectReason}): retake.", "no-standardised-image");
        }

        if (photo.Verdict == Verdict.Failed && string.IsNullOrEmpty(reason))
        {
            return Problems.Invalid("overrideReason", $"This shot failed {photo.FailedMeasures}: retake, or say why it is still right (the reason is recorded with your name).");
        }

        var actor = $"{user.FindFirst(CaptureClaims.Role)?.Value}:{user.Subject()}";
        await PhotoAcceptance.AcceptAsync(s.Db, photo, actor, reason, s.Time.GetUtcNow(), ct);
        await s.Db.SaveChangesAsync(ct);
        return TypedResults.Ok(PhotoView.From(photo, accepted: true));
    }

    [LoggerMessage(LogLevel.Information, "Stored photo {PhotoId} from station {Station} for shoot number {ShootNumber} shot {Shot} ({Bytes} bytes): {Status}")]
    private static partial void LogStored(ILogger logger, Guid photoId, string station, string shootNumber, int shot, long bytes, string status);

    [LoggerMessage(LogLevel.Error, "Object store failed for a photo from station {Station}, shoot number {ShootNumber}: not stored, the station was told to resend")]
    private static partial void LogStorageFailed(ILogger logger, Exception e, string station, string shootNumber);

    [LoggerMessage(LogLevel.Error, "Database failed for a photo from station {Station}, shoot number {ShootNumber}: not recorded, the station was told to resend")]
    private static partial void LogDatabaseFailed(ILogger logger, Exception e, string station, string shootNumber);

    [LoggerMessage(LogLevel.Warning, "Could not delete the unrecorded object {Key}: an orphan in photos-raw (harmless, never served)")]
    private static partial void LogOrphan(ILogger logger, Exception e, string key);

    [LoggerMessage(LogLevel.Information, "Photo access: preview URL of photo {PhotoId} issued to {Role} {Subject}")]
    private static partial void LogPreviewIssued(ILogger logger, Guid photoId, string role, string subject);
}
