namespace Vouch.Testing.StandIns;

/// <summary>Finds the repository, the vendor specs beside it, and the tools test.sh installs under <c>.tools/</c>.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding Vouch.slnx.</summary>
    public static string Root => RootPath.Value;

    /// <summary>
    /// The vendor API descriptions the tests use, kept in the repository under <c>tests/specs</c> (see its README for
    /// their sources and licences), so a clone alone runs every test; <c>VOUCH_SPECS</c> overrides the folder.
    /// </summary>
    public static string Spec(params string[] relative)
    {
        var specs = Environment.GetEnvironmentVariable("VOUCH_SPECS") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Root, "tests", "specs");
        var path = Path.Combine([specs, .. relative]);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"Vendor API description not found at {path}; set VOUCH_SPECS to the specs folder.");
    }

    /// <summary>
    /// An executable installed by test.sh, e.g. <c>.tools/smtp4dev</c>, or the path in <paramref name="overrideVariable"/>.
    /// A missing tool fails the fixture with the command that installs it.
    /// </summary>
    public static string Tool(string relativePath, string overrideVariable, string installHint)
    {
        var path = Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } custom
            ? custom
            : Path.Combine(Root, relativePath);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{Path.GetFileName(relativePath)} is not installed at {path}. Run ./test.sh once (it installs it), or `{installHint}` "
                + $"from the repository root, or set {overrideVariable} to the executable.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vouch.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Vouch.slnx above {AppContext.BaseDirectory}.");
    }
}
