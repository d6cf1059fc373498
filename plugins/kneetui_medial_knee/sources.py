"""The sources the article lists, as it lists them (titles kept in Danish)."""

from kneetui.api import Source

SOURCES = (
    Source("elite-fysioterapi", "Øvelser mod smerter på inderside af knæ", "Elite Fysioterapi"),
    Source("maxer", "Knæ- og lårsmerter", "Maxer.dk"),
    Source("randers", "Knæ: Strække- og bøjeproblem", "Regionshospitalet Randers"),
    Source(
        "auh-mcl",
        "Genoptræning efter behandling med skinne af skade på knæets indvendige sideledbånd (MCL) uden operation",
        "Aarhus Universitetshospital",
    ),
    Source("gigtforeningen", "Øvelser for knæ", "Gigtforeningen"),
    Source("youtube", "Knee Pain Exercises", "YouTube"),
    Source("aarhus-osteopati", "Behandling af knæsmerter", "Aarhus Osteopati"),
)

#: The article gives its sources for the text as a whole, not per item, so
#: every item taken from it cites all of them.
ALL = tuple(source.id for source in SOURCES)
