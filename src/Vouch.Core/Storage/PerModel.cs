using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Vouch.Core.Storage;

/// <summary>
/// A compiled query (<c>EF.CompileAsyncQuery</c>) per model, for the hot paths: translating a LINQ query again on
/// every call costs more than running it. EF binds a compiled query to the model it first runs with and refuses any other,
/// and one process can hold several (one per database provider, as the tests do). The tenant filter still applies, from
/// the context passed in.
/// </summary>
internal sealed class PerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
