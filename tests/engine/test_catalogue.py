"""The catalogue: matching order, incremental updates, the plan and search."""

from __future__ import annotations

from matcher.engine import Audience, Catalogue, SearchFilters

from .factories import activity, provider, request


def keys(matches) -> list[str]:
    return [m.activity_key for m in matches]


def test_ties_are_broken_by_key_and_limit_applies():
    acts = [activity(k) for k in ("c", "a", "b")]
    cat = Catalogue([provider()], acts)
    assert keys(cat.match(request())) == ["a", "b", "c"]
    assert keys(cat.match(request(), limit=2)) == ["a", "b"]
    assert len(cat) == 3
    assert cat.build_seconds >= 0


def test_soft_preferences_order_the_results():
    plain = activity(
        "plain",
        title="Kunstles",
        description="Iets maken.",
        disciplines=("beeldend",),
        location="op-locatie",
    )
    wanted = activity(
        "wanted",
        title="Dansen",
        description="Samen bewegen.",
        disciplines=("dans",),
        competences=("samenwerken",),
    )
    cat = Catalogue([provider()], [plain, wanted])
    req = request(disciplines=("dans",), competences=("samenwerken",), location="op-school")
    matches = cat.match(req)
    assert keys(matches) == ["wanted", "plain"]
    assert "Dans, zoals gevraagd." in matches[0].reasons
    assert "Komt naar school, zoals gevraagd." in matches[0].reasons


def test_existing_structures_get_a_bonus():
    cat = Catalogue(
        [provider("p1"), provider("p2")],
        [activity("a", provider_key="p1"), activity("b", provider_key="p2")],
    )
    assert keys(cat.match(request(preferred_providers=frozenset({"p2"})))) == ["b", "a"]
    assert keys(cat.match(request(penvoerder_keys=frozenset({"p2"})))) == ["b", "a"]


def test_incremental_add_update_remove():
    cat = Catalogue([provider()], [activity("a")])
    cat.add_or_update(activity("b", title="Zomerschool", periods=("zomervakantie",)))
    assert len(cat) == 2
    summer = request(interventions=("zomerschool",), periods=("zomervakantie",))
    assert keys(cat.match(summer)) == ["b"]
    assert cat.search("zomerschool").items == ["b"]
    cat.add_or_update(activity("b", title="Toneel", periods=("schooltijd",)))
    assert cat.search("zomerschool").total == 0
    assert len(cat) == 2
    assert cat.match(summer) == []
    assert "b" in keys(cat.match(request()))
    cat.remove("b")
    assert keys(cat.match(request())) == ["a"]
    cat.remove("unknown")  # no error
    # the running facet totals equal a fresh count
    assert cat.search("").facets == cat.search("", SearchFilters(max_price=10**9)).facets
    assert cat.search("toneel").items == ["a"]


def test_provider_changes_move_its_activities():
    cat = Catalogue([], [activity("a")])
    assert cat.match(request()) == []  # provider not known yet: serves nobody
    cat.upsert_provider(provider())
    assert keys(cat.match(request())) == ["a"]
    cat.upsert_provider(provider(serves=("Zaanstad",)))
    assert cat.match(request()) == []
    assert keys(cat.match(request(gemeente="Zaanstad"))) == ["a"]
    cat.upsert_provider(provider(serves=("*",)))
    assert keys(cat.match(request(gemeente="Maastricht"))) == ["a"]


def test_inferred_is_kept_per_activity():
    cat = Catalogue([provider()], [activity("a", title="Vakantieschool")])
    assert "zomerschool" in {i.key for i in cat.inferred("a")}


def test_plan_covers_interventions_with_few_providers_within_budget():
    acts = [
        activity(
            "p1-zomer",
            provider_key="p1",
            title="Zomerschool",
            periods=("zomervakantie",),
            price_amount=500,
        ),
        activity(
            "p1-gevoel",
            provider_key="p1",
            title="Omgaan met emoties",
            description="Leerlingen leren omgaan met emoties.",
            price_amount=400,
            periods=("zomervakantie",),
        ),
        activity(
            "p2-beide",
            provider_key="p2",
            title="Zomerschool over gevoelens",
            description="Leren omgaan met emoties in de vakantieschool.",
            periods=("zomervakantie",),
            price_amount=800,
        ),
        activity(
            "p3-duur",
            provider_key="p3",
            title="Zomerschool",
            price_amount=5000,
            periods=("zomervakantie",),
        ),
    ]
    cat = Catalogue([provider("p1"), provider("p2"), provider("p3")], acts)
    req = request(interventions=("zomerschool", "welbevinden"), budget=1000.0)
    plan = cat.plan(req)
    assert plan.uncovered_interventions == ()
    assert plan.provider_count == 1
    assert [m.activity_key for m in plan.matches] == ["p2-beide"]
    assert plan.total_cost == 800

    tight = cat.plan(request(interventions=("zomerschool", "welbevinden"), budget=450.0))
    assert tight.total_cost <= 450
    assert tight.uncovered_interventions == ("zomerschool",)


def test_plan_uses_two_providers_when_needed():
    acts = [
        activity("a", provider_key="p1", title="Zomerschool", periods=("zomervakantie",)),
        activity("b", provider_key="p2", title="Sterk tegen pesten"),
    ]
    cat = Catalogue([provider("p1"), provider("p2")], acts)
    plan = cat.plan(request(interventions=("zomerschool", "welbevinden")))
    assert sorted(m.activity_key for m in plan.matches) == ["a", "b"]
    assert plan.provider_count == 2
    assert plan.total_cost == 1000


def _search_catalogue() -> Catalogue:
    acts = [
        activity("theater-1", title="Theaterweek", description="Toneel spelen."),
        activity(
            "theater-2",
            title="Voorstelling",
            description="Een theatervoorstelling.",
            format="voorstelling",
            audience=(Audience("vo", (1, 2)),),
        ),
        activity(
            "muziek-1",
            title="Muziekles",
            description="Zingen en drums.",
            disciplines=("muziek",),
            periods=("naschools",),
            price_amount=90.0,
        ),
        activity(
            "museum-1",
            title="Museumdetectives",
            description="Speuren in het museum.",
            disciplines=("erfgoed",),
            provider_key="far",
        ),
    ]
    return Catalogue([provider(), provider("far", gemeente="Eindhoven")], acts)


def test_search_is_typo_tolerant_and_uses_synonyms_and_compounds():
    cat = _search_catalogue()
    assert set(cat.search("theater").items) == {"theater-1", "theater-2"}
    assert set(cat.search("theatr").items) == {"theater-1", "theater-2"}
    assert set(cat.search("toneel").items) >= {"theater-1"}
    assert cat.search("museum").items == ["museum-1"]
    assert cat.search("muzeik").items == ["muziek-1"]
    assert cat.search("detectives").items == ["museum-1"]  # part of a compound


def test_search_ranks_title_hits_first():
    cat = _search_catalogue()
    assert cat.search("theater").items[0] == "theater-1"


def test_search_filters_paging_and_facets():
    cat = _search_catalogue()
    everything = cat.search("")
    assert everything.total == 4
    assert everything.items == sorted(everything.items)
    assert cat.search("", SearchFilters(gemeente="Eindhoven")).items == ["museum-1"]
    assert cat.search("", SearchFilters(sector="vo")).items == ["theater-2"]
    assert cat.search("", SearchFilters(grade=8)).total == 3
    assert cat.search("", SearchFilters(period="naschools")).items == ["muziek-1"]
    assert cat.search("", SearchFilters(discipline="erfgoed")).items == ["museum-1"]
    assert cat.search("", SearchFilters(max_price=100)).items == ["muziek-1"]
    assert cat.search("", SearchFilters(intervention="cultuureducatie")).total == 4
    page = cat.search("", offset=1, limit=2)
    assert page.total == 4 and page.items == everything.items[1:3]
    facets = everything.facets
    assert facets["discipline"] == {"erfgoed": 1, "muziek": 1, "theater": 2}
    assert facets["sector"] == {"po": 3, "vo": 1}
    assert facets["intervention"]["cultuureducatie"] == 4
    assert cat.search("theater", SearchFilters(sector="po")).facets["sector"] == {"po": 1}


def test_search_box_finds_the_exact_title_first_among_many_hits():
    # Many activities share the words of the title; the one titled so comes first.
    many = [
        activity(f"a{i:03d}", title=f"Theater en dans op school deel {i}",
                 description="Theater en dans op school, voor de hele klas.")
        for i in range(60)
    ]
    exact = activity("z-exact", title="Dans op school", description="Een korte les.")
    cat = Catalogue([provider()], [*many, exact])
    result = cat.search("dans op school")
    assert result.items[0] == "z-exact"
    assert result.total == 61


def test_search_box_finds_activities_by_provider_name():
    hofplein = provider("hofplein", name="Jeugdtheater Hofplein")
    other = provider("other", name="Muziekschool Noord")
    acts = [
        activity("h1", provider_key="hofplein", title="Voorstelling", description="Spelen."),
        activity("o1", provider_key="other", title="Hofplein-voorstelling zonder naam",
                 description="Over een plein."),
        activity("o2", provider_key="other", title="Zingen", description="Liedjes."),
    ]
    cat = Catalogue([hofplein, other], acts)
    assert "h1" in cat.search("hofplein").items
    # The exact provider name brings its activities first.
    assert cat.search("Jeugdtheater Hofplein").items[0] == "h1"
    # A renamed provider is found by its new name only.
    cat.upsert_provider(provider("hofplein", name="Theater De Vonk"))
    assert "h1" in cat.search("vonk").items
    assert cat.search("Jeugdtheater Hofplein").items[:1] != ["h1"]
