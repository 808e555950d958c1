using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Data Protection's key ring in PostgreSQL (<c>data_protection_keys</c>), shared by every silo. Data Protection
/// reads it at start and when its cached ring expires, and adds an element when it creates or revokes a key;
/// both are rare, hence the synchronous calls its interface asks for.
/// </summary>
public sealed class PostgresKeyRing(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY created_at, name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand(
            "INSERT INTO data_protection_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
        command.Parameters.Add(new() { Value = friendlyName });
        command.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
