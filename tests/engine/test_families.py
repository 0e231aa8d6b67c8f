"""The five families of mistakes seen on real catalogues (issue 11), one test or more each.

1. staff, not pupils; 2. claims taken at face value; 3. words in the wrong context;
4. implicit fits missed; 5. wishes under-weighted.
"""

from __future__ import annotations

import pytest

from matcher.engine import Catalogue
from matcher.engine.links import assess
from matcher.engine.model import Audience
from matcher.engine.participants import read_participants

from .factories import activity, provider, request

# ------------------------------------------------------------------ 1. staff, not pupils

STAFF_COURSES = [
    ("Teamscholing: welbevinden in de klas",
     "Tijdens deze studiedag leren leerkrachten van groep 5 tot en met 8 hoe zij met drama "
     "werken aan welbevinden en een veilig groepsklimaat."),
    ("Zomerschool organiseren",
     "Een netwerkbijeenkomst voor cultuurcoördinatoren en directeuren die een zomerschool "
     "met kunst willen opzetten."),
    ("Cursus zingen in de klas",
     "Voor leerkrachten van groep 1 tot en met 4 die vaker willen zingen met hun groep."),
    ("Masterclass voorlezen", "U leert hoe u met een prentenboek de hele klas meekrijgt."),
    ("Docententraining beeldend", "Praktische werkvormen voor uw lessen."),
    ("Inspiratiemiddag voor het onderwijsteam", "We laten zien hoe muziek past in elke les."),
    ("Zelf aan de slag met drama",
     "Ben je leerkracht en wil je drama inzetten in je klas? In deze training leer je tien "
     "werkvormen."),
    ("Drama in je lessen", "Jullie als team gaan aan de slag met werkvormen voor de klas."),
    ("Coaching on the job", "Een kunstvakdocent coacht de leerkracht tijdens de muziekles."),
    ("Muziekonderwijs geven? Zo doe je dat!", "Een praktische cursus voor groepsleerkrachten."),
]

PUPIL_ACTIVITIES = [
    ("Weerbaarheidstraining", "Een training voor kinderen van groep 7 en 8."),
    ("Theaterworkshop",
     "Een workshop waarin leerlingen samen een scène maken. De leerkracht krijgt vooraf een "
     "lesbrief met tips voor de leerkracht."),
    ("Dramales over gevoelens",
     "Leerlingen spelen scènes. Met een handleiding voor de leerkracht."),
    ("Theater in de klas", "Als leerkracht kijk je mee terwijl de kinderen spelen."),
    ("Masterclass beatbox", "Leerlingen uit groep 7 en 8 leren beatboxen van een kampioen."),
    ("Voorstelling 'De Meester'", "Een voorstelling over een leerkracht die alles vergeet."),
    ("Workshop strips", "Een workshop voor groep 6. De leerkracht krijgt een lesbrief."),
]


@pytest.mark.parametrize(("title", "description"), STAFF_COURSES)
def test_a_course_for_teachers_is_read_as_for_the_team(title, description):
    reading = read_participants(activity(title=title, description=description))
    assert reading.value == "team"
    assert reading.triggers and reading.reason.startswith("Gelezen uit de tekst")


@pytest.mark.parametrize(("title", "description"), PUPIL_ACTIVITIES)
def test_pupil_activities_that_mention_teachers_stay_for_pupils(title, description):
    assert read_participants(activity(title=title, description=description)).value == (
        "leerlingen"
    )


def test_a_free_staff_course_full_of_intervention_words_never_fills_a_pupil_request():
    course = activity(
        "course",
        title="Teamscholing zomerschool",
        description="Studiedag voor leerkrachten: zo organiseert u een zomerschool vol kunst "
        "in de zomervakantie.",
        periods=("zomervakantie",),
        sessions=5,
        price_amount=0.0,
        interventions=("zomerschool",),
    )
    camp = activity("camp", title="Zomertheaterweek", description="Vijf dagen theater maken.",
                    periods=("zomervakantie",), sessions=5)
    cat = Catalogue([provider()], [course, camp])
    pupils = cat.match(request(interventions=("zomerschool",)))
    assert [m.activity_key for m in pupils] == ["camp"]
    team = cat.match(request(interventions=("zomerschool",), participants="team", pupils=12))
    assert [m.activity_key for m in team] == ["course"]


def test_the_given_value_beats_the_reading():
    course = activity(title="Teamscholing", description="Voor leerkrachten.",
                      participants="leerlingen")
    assert read_participants(course).value == "leerlingen"
    assert read_participants(course).source == "given"


# ------------------------------------------------------------------ 2. claims checked

@pytest.mark.parametrize(
    ("changes", "key", "why"),
    [
        # A one-hour performance in school time is no zomerschool.
        ({"format": "voorstelling", "sessions": 1, "minutes_per_session": 60,
          "periods": ("schooltijd",)}, "zomerschool", "voorjaarsvakantie"),
        # A one-day event in the May holiday is no zomerschool either.
        ({"format": "project", "sessions": 1, "minutes_per_session": 300,
          "periods": ("meivakantie",)}, "zomerschool", "meerdere dagen"),
        # Five days in the autumn holiday are a holiday programme, not a summer or spring school.
        ({"format": "project", "sessions": 5, "minutes_per_session": 240,
          "periods": ("herfstvakantie",)}, "zomerschool", "herfst"),
        # A weekly series inside the timetable is no extra time.
        ({"sessions": 10, "periods": ("schooltijd",)}, "uitbreiding-onderwijstijd", "rooster"),
        # A heritage tour without social-emotional content is no welbevinden.
        ({"title": "Rondleiding oude binnenstad", "format": "rondleiding",
          "disciplines": ("erfgoed",), "sessions": 1,
          "description": "We lopen langs de grachten en de oude stadspoort."},
         "welbevinden", "sociaal-emotionele"),
    ],
)
def test_a_claim_the_fields_or_text_contradict_does_not_count(changes, key, why):
    act = activity(interventions=(key,), **changes)
    links = assess(act)
    assert key not in links.fits
    assert why in links.discounted[key]
    cat = Catalogue([provider()], [act])
    assert cat.match(request(interventions=(key,))) == []
    # The empty result says why.
    ((activity_key, intervention, reason),) = cat.discounted_claims(
        request(interventions=(key,))
    )
    assert (activity_key, intervention) == ("act", key) and why in reason


@pytest.mark.parametrize(
    ("key", "audience", "description"),
    [
        ("vve", Audience("po", (1, 2)), "Een peutervoorstelling met muziek en schaduwspel."),
        ("sport", Audience("po", (5, 6)), "Een dansvoorstelling vol beweging en sprongen."),
    ],
)
def test_watching_a_show_is_no_vve_and_no_sport(key, audience, description):
    """Both need the children to do it themselves; the same text as a series of lessons holds."""
    show = activity("show", format="voorstelling", sessions=1, minutes_per_session=35,
                    audience=(audience,), description=description, interventions=(key,))
    assert key not in assess(show).fits
    assert "voorstelling" in assess(show).discounted[key]
    lessons = activity("lessons", format="lessenreeks", sessions=6, audience=(audience,),
                       description=description, interventions=(key,))
    assert key in assess(lessons).fits


def test_the_name_of_the_intervention_in_the_text_is_a_claim_not_content():
    """"Goed voor het schrijfonderwijs!" on embroidery says nothing of writing; a text that
    says what the pupils write does."""
    stitching = activity("stitching", title="Verhalen in stof", interventions=("schrijfonderwijs",),
                         description="Kinderen borduren een woord op een lapje. Goed voor het "
                                     "schrijfonderwijs!")
    assert "schrijfonderwijs" not in assess(stitching).fits
    writing = activity("writing", title="Schrijfwerkplaats", interventions=("schrijfonderwijs",),
                       description="Leerlingen schrijven en herschrijven een verhaal. Goed voor "
                                   "het schrijfonderwijs!")
    assert "schrijfonderwijs" in assess(writing).fits


def test_a_discounted_claim_is_explained_on_a_match_that_fills_something_else():
    act = activity(interventions=("zomerschool",), periods=("schooltijd",))
    cat = Catalogue([provider()], [act])
    (match,) = cat.match(request(interventions=("zomerschool", "cultuureducatie")))
    assert match.interventions == ("cultuureducatie",)
    assert any("De aanbieder noemt zomerschool, maar dat telt niet" in r for r in match.reasons)


def test_a_claim_that_holds_counts_and_a_curator_verdict_overrides_the_judgement():
    holiday = activity(interventions=("zomerschool",), periods=("zomervakantie",), sessions=5)
    assert "zomerschool" in assess(holiday).fits
    contradicted = activity(interventions=("zomerschool",), curator_verified=("zomerschool",))
    assert assess(contradicted).fits["zomerschool"].kind == "curated"


def test_a_one_off_afternoon_after_school_is_a_weak_fit_that_says_why():
    one_off = activity("once", title="Kunstmiddag na schooltijd", sessions=1,
                       periods=("naschools",), interventions=("uitbreiding-onderwijstijd",))
    weekly = activity("weekly", title="Kunstclub na schooltijd", sessions=10,
                      periods=("naschools",), interventions=("uitbreiding-onderwijstijd",))
    cat = Catalogue([provider()], [one_off, weekly])
    matches = cat.match(request(interventions=("uitbreiding-onderwijstijd",)))
    assert [m.activity_key for m in matches] == ["weekly", "once"]
    assert "Maar zwak" in matches[1].reasons[0]


def test_a_holiday_camp_is_extra_time_but_an_after_school_club_is_the_better_fit():
    camp = activity("camp", title="Theaterkamp",
                    description="Vijf middagen theater maken in de zomervakantie.",
                    sessions=5, minutes_per_session=300, periods=("zomervakantie",))
    club = activity("club", title="Theaterclub", description="Elke week theater maken.",
                    sessions=10, periods=("naschools",))
    assert assess(camp).fits["uitbreiding-onderwijstijd"].weak
    assert not assess(club).fits["uitbreiding-onderwijstijd"].weak
    matches = Catalogue([provider()], [camp, club]).match(
        request(interventions=("uitbreiding-onderwijstijd",)))
    assert [m.activity_key for m in matches] == ["club", "camp"]
    assert "vakantieprogramma" in matches[1].reasons[0]


def test_when_a_team_course_meets_says_nothing_about_the_pupils_time():
    course = activity("course", title="Cursus voor leerkrachten",
                      description="Tien middagen scholing voor het team.", sessions=10,
                      periods=("naschools",), participants="team")
    assert "uitbreiding-onderwijstijd" not in assess(course).fits


def test_a_one_off_workshop_is_a_weak_fit_for_welbevinden():
    once = activity("once", description="Een workshop over gevoelens en ruzie.", sessions=1)
    series = activity("series", description="Lessen over gevoelens en ruzie.", sessions=6)
    assert assess(once).fits["welbevinden"].weak
    assert not assess(series).fits["welbevinden"].weak


# ------------------------------------------------------------------ 3. context

@pytest.mark.parametrize(
    ("title", "description", "key"),
    [
        ("De zomer van de Watersnood", "Een rondleiding over wat er in 1953 gebeurde.",
         "zomerschool"),
        ("Huiswerkklas", "Zonder huiswerkhulp, maar met veel plezier tekenen.",
         "uitbreiding-onderwijstijd"),
        ("Theater op school", "Dit programma valt niet buiten schooltijd, maar in de les.",
         "uitbreiding-onderwijstijd"),
        ("Slotvoorstelling", "Familie mag komen kijken bij de afsluiting.",
         "ouderbetrokkenheid"),
    ],
)
def test_words_in_the_wrong_context_do_not_make_a_link(title, description, key):
    periods = ("zomervakantie",) if key == "zomerschool" else ("naschools",)
    act = activity(title=title, description=description, periods=periods, sessions=4)
    assert key not in assess(act).fits


def test_negation_reaches_to_the_end_of_its_clause_only():
    act = activity(title="Zomerkamp", description="Geen toets of huiswerk, maar vijf dagen "
                   "zomerschool in de vakantie.", periods=("zomervakantie",), sessions=5)
    assert "zomerschool" in assess(act).fits


def test_parents_who_take_part_make_pupils_with_parents():
    act = activity(title="Ouder-kindatelier",
                   description="Kinderen maken samen met hun vader of moeder een kunstwerk.",
                   periods=("weekend",))
    links = assess(act)
    assert links.participants.value == "leerlingen-en-ouders"
    assert "ouderbetrokkenheid" in links.fits
    assert Catalogue([provider()], [act]).match(request(interventions=("ouderbetrokkenheid",)))


# ------------------------------------------------------------------ 4. implicit fits

@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"title": "Kinderkoor", "description": "Elke dinsdag na schooltijd zingen we samen.",
          "format": "naschools-programma", "periods": ("naschools",), "sessions": 12,
          "disciplines": ("muziek",)}, "uitbreiding-onderwijstijd"),
        ({"title": "Spelen met gevoel",
          "description": "Kinderen benoemen hun gevoelens en spelen ze na: boos, bang, blij.",
          }, "welbevinden"),
        ({"title": "Filmkamp", "description": "Vijf dagen films maken in de zomervakantie.",
          "periods": ("zomervakantie",), "sessions": 5, "disciplines": ("media",)},
         "zomerschool"),
        ({"title": "Debatclub", "description": "Leerlingen debatteren over stellingen.",
          }, "gesproken-taal"),
        ({"title": "Leesmaatjes", "description": "Oudere leerlingen helpen jongere leerlingen "
          "met lezen: groep 8 leest voor aan groep 3.", "disciplines": ("literatuur",)},
         "leren-met-medeleerlingen"),
    ],
)
def test_an_unclaimed_fit_implied_by_the_text_is_found(changes, key):
    act = activity(**changes)
    assert act.interventions == ()
    assert key in assess(act).fits
    assert Catalogue([provider()], [act]).match(request(interventions=(key,)))


@pytest.mark.parametrize(
    ("description", "tutoring"),
    [
        ("Groep 7/8 leert de basis en wordt daarna coach van een groepje uit groep 3/4.", True),
        ("Groep 7 en 8 leert muziekinstrumenten aan groep 3 en 4.", True),
        ("De oudsten leggen het uit aan de jongsten.", True),
        ("Leerlingen van groep 7 en 8 worden gids en leiden een klas uit groep 4 rond.", True),
        # Two groups and a teaching word, but nobody teaches anybody younger.
        ("De docent begeleidt groep 3 t/m 5 en daarna groep 6 t/m 8.", False),
        ("Voor groep 3/4 en groep 7/8: we leren zingen.", False),
        ("Groep 8, de oudsten, helpen bij het opruimen.", False),
        ("Een cultuurmenu op maat, samen met de school.", False),
    ],
)
def test_older_pupils_teaching_younger_ones_is_read_from_the_sentence(description, tutoring):
    links = assess(activity(title="Samen muziek", description=description,
                            audience=(Audience("po", (3, 4, 5, 6, 7, 8)),)))
    assert ("leren-met-medeleerlingen" in links.fits) is tutoring


# ------------------------------------------------------------------ 5. wishes

@pytest.mark.parametrize("wish", ["graag iets met poppenspel", "poppespel!", "poppenkast"])
def test_an_activity_that_is_exactly_the_wish_beats_a_generic_offer(wish):
    generic = activity(
        "generic", provider_key="penvoerder", title="Cultuurmenu theater",
        description="Een breed theaterprogramma voor alle groepen, met voorstelling en les.",
        interventions=("cultuureducatie",),
    )
    puppets = activity("puppets", title="Poppenspel in de klas",
                       description="Kinderen maken een eigen handpop en spelen een verhaal.")
    cat = Catalogue([provider(), provider("penvoerder", kind="penvoerder")], [generic, puppets])
    req = request(wishes=wish, penvoerder_keys=frozenset({"penvoerder"}))
    matches = cat.match(req)
    assert matches[0].activity_key == "puppets"
    assert any("Sluit aan bij uw wensen" in r for r in matches[0].reasons)


@pytest.mark.parametrize("wish", ["NSO voor de bovenbouw, trommelen", "na schooltijd trommelen"])
def test_one_period_named_in_the_wishes_narrows_the_request_by_the_field(wish):
    """Uitbreiding onderwijstijd allows after school and the weekend; "NSO" asks for after
    school, which the activity's periods say, whatever its text mentions."""
    club = activity("club", title="Trommelclub", periods=("naschools",), sessions=6,
                    description="Zes donderdagen na school West-Afrikaanse ritmes op de djembe.")
    saturday = activity("saturday", title="Trommelclub", periods=("weekend",), sessions=20,
                        curator_verified=("uitbreiding-onderwijstijd",),
                        description="Twintig zaterdagen trommelen, dus niet na schooltijd.")
    cat = Catalogue([provider()], [saturday, club])
    matches = cat.match(request(interventions=("uitbreiding-onderwijstijd",), wishes=wish))
    assert [m.activity_key for m in matches] == ["club", "saturday"]


def test_periods_that_list_what_the_interventions_allow_do_not_narrow():
    """"Na schooltijd of in de zomer" for uitbreiding and zomerschool restates both."""
    club = activity("club", title="Kinderkoor", periods=("naschools",), sessions=20)
    camp = activity("camp", title="Zomerbandweek", periods=("zomervakantie",), sessions=5,
                    minutes_per_session=300)
    cat = Catalogue([provider()], [club, camp])
    req = request(interventions=("uitbreiding-onderwijstijd", "zomerschool"),
                  wishes="na schooltijd of in de zomer")
    assert cat._wish_units(req) == []


def test_a_phrase_in_the_wishes_keeps_the_synonyms_of_its_words():
    """"animatie maken" is a phrase of digitale technologie, and animatie still finds the
    tekenfilm workshop above one that only shares the tablets."""
    cartoon = activity("cartoon", title="Tekenfilm: frame voor frame", disciplines=("media",),
                       description="Leerlingen tekenen poppetjes en zetten ze in een app achter "
                                   "elkaar op de tablet.", interventions=("digitale-technologie",))
    drawing = activity("drawing", title="Digitaal tekenen op de iPad", disciplines=("media",),
                       description="Lagen, penselen en kleuren: een digitale poster op de iPad.",
                       interventions=("digitale-technologie",))
    cat = Catalogue([provider()], [drawing, cartoon])
    matches = cat.match(request(interventions=("digitale-technologie",),
                                wishes="animatie maken op de ipads"))
    assert [m.activity_key for m in matches] == ["cartoon", "drawing"]


def test_a_wish_finds_the_title_compound_it_starts():
    """"flamenco" is no thesaurus word, yet "Flamencoclub" is exactly that wish."""
    club = activity("club", title="Flamencoclub na school", disciplines=("dans",),
                    description="Stampen, klappen en draaien: de basispassen en palmas.")
    other = activity("other", title="Dansclub na school", disciplines=("dans",),
                     description="Stampen, klappen en draaien op de muziek van nu.")
    family = activity("family", title="Flamenco met je ouders", disciplines=("dans",))
    cat = Catalogue([provider()], [other, club, family])
    assert cat._wish_units(request(wishes="flamenco"))[0][2] == cat._any_title_bits(
        ["flamencoclub", "flamenco"])
    matches = cat.match(request(wishes="flamenco zou top zijn"))
    assert matches[-1].activity_key == "other"


def test_a_word_no_activity_has_does_not_thin_out_the_wishes():
    cat = Catalogue([provider()], [activity("a", title="Poppenspel")])
    units = cat._wish_units(request(wishes="poppenspel kleuterjuffen"))
    assert [w.unit.label for w, _f, _t in units] == ["poppenspel"]


def test_a_typo_of_a_filler_is_a_filler():
    """"grag theater" wishes for theatre; "grag" is "graag" misspelt, no wish of its own."""
    cat = Catalogue([provider()], [activity("a", description="Graag theater maken.")])
    assert [w.unit.label for w, _f, _t in cat._wish_units(request(wishes="grag theater"))] == [
        "theater"
    ]


def test_a_filler_is_not_read_as_a_typo_of_a_rarer_word():
    """"super" is a word on purpose, not "speur" misspelt: it weighs nothing as a wish."""
    trail = activity("trail", title="Speurtocht door het museum")
    cat = Catalogue([provider()], [trail])
    assert cat._wish_units(request(wishes="zou super zijn")) == []


def test_doubts_list_discounted_claims_then_suggested_fits_for_the_curator():
    wrong = activity("wrong", interventions=("zomerschool",), periods=("schooltijd",))
    unclaimed = activity("unclaimed", title="Kinderkoor na schooltijd",
                         description="Elke week zingen we samen na schooltijd.",
                         periods=("naschools",), sessions=10, disciplines=("muziek",))
    elsewhere = activity("elsewhere", provider_key="other", interventions=("zomerschool",),
                         periods=("schooltijd",))
    cat = Catalogue([provider(), provider("other")], [wrong, unclaimed, elsewhere])
    doubts = cat.doubts(["prov"])
    assert [(d.activity_key, d.intervention, d.kind) for d in doubts] == [
        ("wrong", "zomerschool", "claim"),
        ("unclaimed", "uitbreiding-onderwijstijd", "suggestion"),
    ]
    assert "voorjaarsvakantie" in doubts[0].reason
    assert doubts[1].reason.startswith("Niet geclaimd, maar de tekst noemt")
    assert {d.activity_key for d in cat.doubts()} == {"wrong", "unclaimed", "elsewhere"}
