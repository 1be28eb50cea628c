using System;
using System.Runtime.InteropServices;
using WsusRemediation.Engine.Windows;
using Xunit;

namespace WsusRemediation.Engine.Tests.Windows;

/// <summary>The reflection helpers hand the adapters the server's own exceptions, as Microsoft.Web.Administration throws them.</summary>
public class LateBoundTests
{
    public class Element
    {
        public object? this[string attributeName] => "attribute " + attributeName;
    }

    public sealed class Pools : Element
    {
        public new Pool? this[string name] => name == "WsusPool" ? new Pool() : null;
    }

    public sealed class Pool
    {
        public int State => throw new COMException("The object identifier does not represent a valid object.", unchecked((int)0x800710D8));

        public object? Failure => null;

        public void Start() => throw new COMException("Cannot start a started pool.", unchecked((int)0x80070420));
    }

    [Fact]
    public void A_property_that_throws_gives_the_COMException_itself()
    {
        var error = Assert.Throws<COMException>(() => LateBound.Get(new Pool(), "State"));
        Assert.Equal(unchecked((int)0x800710D8), error.HResult);
        Assert.Throws<COMException>(() => LateBound.GetOrNull(new Pool(), "State"));
    }

    [Fact]
    public void A_method_that_throws_gives_the_COMException_itself() =>
        Assert.Equal(0x420, Assert.Throws<COMException>(() => LateBound.Call(new Pool(), "Start")).HResult & 0xFFFF);

    [Fact]
    public void A_null_property_is_null_and_a_missing_one_is_MissingMember()
    {
        Assert.Null(LateBound.Get(new Pool(), "Failure"));
        Assert.Null(LateBound.GetOrNull(new Pool(), "NoSuchProperty"));
        Assert.Throws<MissingMemberException>(() => LateBound.Get(new Pool(), "NoSuchProperty"));
    }

    [Fact]
    public void The_collections_own_indexer_wins_over_the_hidden_attribute_indexer_and_a_missing_name_is_null()
    {
        Assert.IsType<Pool>(LateBound.Index(new Pools(), "WsusPool"));
        Assert.Null(LateBound.Index(new Pools(), "Nope"));
    }
}
