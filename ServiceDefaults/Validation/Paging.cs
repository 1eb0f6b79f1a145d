namespace Capture.ServiceDefaults.Validation;

/// <summary>A checked page request: <see cref="Skip"/> never overflows, however large a page number a caller sends.</summary>
public readonly record struct Page(int Number, int Size)
{
    public int Skip => (Number - 1) * Size;
}

/// <summary>Bounded paging for every list endpoint: pages from 1, a size from 1 to the endpoint's maximum.</summary>
public static class Paging
{
    /// <summary>The page asked for, or the errors by field (<c>page</c>, <c>pageSize</c>) when it is out of bounds.</summary>
    public static (Page Page, Dictionary<string, string[]> Errors) Check(int? page, int? pageSize, int defaultSize, int maxSize)
    {
        var errors = new Dictionary<string, string[]>();
        var size = pageSize ?? defaultSize;
        var number = page ?? 1;
        if (size is < 1 || size > maxSize)
        {
            errors["pageSize"] = [$"Give a page size from 1 to {maxSize}."];
            size = maxSize;
        }

        var lastPage = (int)Math.Min(int.MaxValue, ((long)int.MaxValue / size) + 1);
        if (number < 1 || number > lastPage)
        {
            errors["page"] = [$"Pages are numbered from 1 to {lastPage} for a page size of {size}."];
        }

        return (new Page(number, size), errors);
    }
}
