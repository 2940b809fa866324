"""Synthetic separated children and tracing requests, with the true pairs known (issue 9).

Used by the tracing benchmark (`benchmarks/tracing_match.py`) and by tests. The rows are in
exactly the exchange format of `reunify tracing match` (`CHILDREN_COLUMNS`,
`REQUESTS_COLUMNS`): `;`-separated other names, places as `country;region;district;village`
with parts possibly missing, dates `YYYY-MM-DD`, `YYYY-MM` or empty, sex `M`/`F`/`U`.

How the data is drawn:

- **Families** from seven naming traditions (Arabic, East African with patronymic family names,
  Afghan, Francophone African, Central American with two surnames, Ukrainian/Russian, English),
  each with its own invented-but-plausible name pools, Zipf-weighted so that a few names are
  very common, spelling variants per name (Mohammed/Muhammad/Mohamed, Oleksandr/Aleksandr),
  nicknames, and place hierarchies with spelling variants (Kharkiv/Kharkov). Each family has
  one to four children separated in one event at one place; a share of families have cousins
  (the father's brother's family, same village, same family name where there is one)
  separated in the same event.
- **Registrations**: each separated child is registered (a row of children.csv) unless drawn
  as never registered; the registration is the child's own account as a caseworker wrote it.
- **Requests**: a share of families file a tracing request (a parent or another relative) for
  all or some of their separated children, one row per sought child under one request_id;
  sometimes the other parent files a separate request too. Requests for children never
  registered have no true pair; families who file nothing leave children without a request.
- **Noise**: each record draws its own noise independently at the rates of `Noise`; every
  kind applied is recorded as a label, per record and per true pair, so that recall can be
  broken down by kind. The hard negatives are the structure itself: siblings share parents,
  places and dates; cousins share the family name and village; common names recur.

Pure (no Django): a seeded `random.Random`, plain values in and out; deterministic for a seed.
"""

from __future__ import annotations

import csv
import gc
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

from reunify.tracing.matching.csv_input import CHILDREN_COLUMNS, REQUESTS_COLUMNS

# Noise labels (per record; a true pair carries the union of its two records' labels).
TRANSLITERATION = "transliteration"  # a child's name spelled another way (Mohamed / Muhammad)
PARENT_SPELLING = "parent_spelling"  # a parent's name spelled another way
NICKNAME = "nickname"  # the child registered under a nickname (Sasha for Oleksandr)
FIRST_NAME_ONLY = "first_name_only"  # the child knows only their first name
SWAPPED_NAMES = "swapped_names"  # given and family name written the wrong way round
AGE_ONLY = "age_only"  # no date of birth, only an age
AGE_OFF = "age_off"  # an age estimate 1-3 years off
MONTH_ONLY = "month_only"  # a date known only to the month
DATE_SHIFT = "date_shift"  # the date of separation remembered days to weeks off
DATE_MISSING = "date_missing"  # the date of separation unknown
PLACE_VARIANT = "place_variant"  # a place name spelled differently
PLACE_DEPTH = "place_depth"  # a place given to another depth (levels cut or skipped)
PLACE_MISSING = "place_missing"  # a place unknown
TYPO = "typo"  # a typing error in a name
MISSING_FIELD = "missing_field"  # a parent's name, sex, language or nationality left empty
SURNAME_PARTIAL = "surname_partial"  # two-surname tradition: only the first surname given
PATRONYMIC_SHIFT = "patronymic_shift"  # patronymic: the grandfather's name given as family name
IBN_FORM = "ibn_form"  # Arabic: the family name given as "bin <father>"
SINGLE_NAME = "single_name"  # Afghan: a family name on one side only
NOISE_LABELS: tuple[str, ...] = (
    TRANSLITERATION,
    PARENT_SPELLING,
    NICKNAME,
    FIRST_NAME_ONLY,
    SWAPPED_NAMES,
    AGE_ONLY,
    AGE_OFF,
    MONTH_ONLY,
    DATE_SHIFT,
    DATE_MISSING,
    PLACE_VARIANT,
    PLACE_DEPTH,
    PLACE_MISSING,
    TYPO,
    MISSING_FIELD,
    SURNAME_PARTIAL,
    PATRONYMIC_SHIFT,
    IBN_FORM,
    SINGLE_NAME,
)
TRADITIONS: tuple[str, ...] = (
    "arabic",
    "east_african",
    "afghan",
    "francophone",
    "central_american",
    "ukrainian_russian",
    "english",
)

FIRST_SEPARATION = date(2019, 1, 1).toordinal()
LAST_SEPARATION = date(2026, 3, 31).toordinal()


@dataclass(frozen=True)
class Noise:
    """Rates of each kind of noise and of each family shape. Record rates apply to each record
    independently (a child's registration and each request row draw their own); a rate that
    names a tradition or a kind of name applies only where there is one (a nickname only to
    names that have nicknames, a second surname only in the two-surname tradition)."""

    # Family shapes.
    request_rate: float = 0.75  # families that file a tracing request
    second_parent_rate: float = 0.12  # the other parent files a separate request too
    unregistered_rate: float = 0.12  # separated children never registered
    cousin_rate: float = 0.15  # families with a cousin family separated in the same event
    all_siblings_rate: float = 0.8  # requests that seek every separated child of the family
    # Names.
    transliteration: float = 0.2  # per name with several spellings: another one
    nickname: float = 0.10  # child side, names with nicknames: registered under one
    first_name_only: float = 0.08  # child side: no family name, parents by first name at most
    swapped_names: float = 0.03  # given and family name the wrong way round
    typo: float = 0.08  # one name of the record mistyped
    surname_partial: float = 0.3  # two-surname tradition: only the first surname
    patronymic_shift: float = 0.15  # patronymic tradition: the grandfather's name instead
    ibn_form: float = 0.15  # Arabic, child side: "bin <father>" as the family name
    single_name: float = 0.3  # Afghan families with a family name: one side leaves it out
    # Ages and dates.
    age_only: float = 0.5  # child side: an age estimate instead of a date of birth
    request_age_only: float = 0.25  # request side: an age at separation instead
    age_off: float = 0.35  # child side: of the age estimates, those 1-3 years off
    request_age_off: float = 0.08  # request side: the same
    month_only: float = 0.2  # a known date given to the month only
    date_shift: float = 0.3  # the date of separation days to weeks off
    date_missing: float = 0.08  # the date of separation unknown
    # Places.
    place_variant: float = 0.3  # per place: a part spelled differently
    place_depth: float = 0.3  # per place: levels cut or skipped
    place_missing: float = 0.05  # per place
    # Other fields.
    missing_field: float = 0.1  # one of parents' names, sex, language, nationality empty


@dataclass
class SyntheticData:
    children: list[dict[str, str]]  # keys exactly CHILDREN_COLUMNS
    requests: list[dict[str, str]]  # keys exactly REQUESTS_COLUMNS
    truth: set[tuple[str, str]]  # (request_id, child_id) true pairs
    # Noise labels of each child record, of each request row (aligned with `requests`), and
    # of each true pair (both records' labels plus "tradition:<name>").
    child_labels: dict[str, frozenset[str]] = field(default_factory=dict)
    request_labels: list[frozenset[str]] = field(default_factory=list)
    truth_labels: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # The registered child each request row seeks ("" if that child was never registered).
    sought_child: list[str] = field(default_factory=list)
    # Family of each child and of each request, and cousin families (both directions), to
    # tell siblings and cousins among the false pairs.
    child_family: dict[str, int] = field(default_factory=dict)
    request_family: dict[str, int] = field(default_factory=dict)
    cousins: dict[int, int] = field(default_factory=dict)

    def relation(self, request_id: str, child_id: str) -> str:
        """ "match", "sibling" (same family, another child), "cousin" or "unrelated"."""
        if (request_id, child_id) in self.truth:
            return "match"
        family, other = self.request_family[request_id], self.child_family[child_id]
        if family == other:
            return "sibling"
        return "cousin" if self.cousins.get(family) == other else "unrelated"

    def write_csv(self, children_path: str | Path, requests_path: str | Path) -> None:
        for path, columns, rows in (
            (children_path, CHILDREN_COLUMNS, self.children),
            (requests_path, REQUESTS_COLUMNS, self.requests),
        ):
            with Path(path).open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)


def generate(n_children: int, *, seed: int = 1, noise: Noise | None = None) -> SyntheticData:
    """About `n_children` registered children (exactly, unless fewer than one family's worth)
    with their families' tracing requests."""
    generator = _Generator(random.Random(seed), noise or Noise())  # noqa: S311
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: collection would double the time
    try:
        return generator.run(n_children)
    finally:
        if collecting:
            gc.enable()


# --- Name and place pools ---------------------------------------------------------------------
# Written for this generator: invented-but-plausible names, no real people. A group is one name
# with its spellings ("Mohammed|Muhammad"); the first spelling is the most usual.

Group = tuple[str, ...]
T = TypeVar("T")

_ARABIC = {
    "male": "Mohammed|Muhammad|Mohamed|Mohammad|Mohamad|Muhammed, Ahmed|Ahmad, Ali, Omar|Umar, "
    "Mahmoud|Mahmud|Mahmood, Hassan|Hasan, Hussein|Husayn|Hussain|Hussien, Youssef|Yusuf|Yousef|"
    "Yusef, Ibrahim|Ebrahim, Khaled|Khalid, Abdullah|Abdallah|Abdulla, Mustafa|Moustafa|Mostafa, "
    "Karim|Kareem, Said|Saeed|Sayed, Tariq|Tarek|Tareq, Walid|Waleed, Yasser|Yasir|Yaser, Bilal, "
    "Hamza|Hamzah, Adnan, Nabil|Nabeel, Jamal|Gamal, Salim|Saleem|Selim, Ziad|Ziyad, Rami|Ramy, "
    "Fadi|Fady, Samir|Sameer, Majid|Majed|Maged, Faisal|Faysal, Anas, Osama|Usama, Amir|Ameer, "
    "Zaid|Zayd|Zeid, Qasim|Kassem|Qassim, Jafar|Jaafar, Rashid|Rashed, Adel|Adil, Imad|Emad, "
    "Issa|Eissa, Hisham|Hesham, Marwan, Nasser|Nasir, Mazen|Mazin, Ayman|Aiman, Ammar|Amar",
    "female": "Fatima|Fatma|Fatimah, Aisha|Aysha|Aicha|Ayesha, Maryam|Mariam|Meryem, "
    "Zainab|Zaynab|Zeinab, Khadija|Khadijah|Khadidja, Noor|Nour|Nur, Layla|Leila|Laila, "
    "Huda|Hoda, Amina|Aminah|Ameena, Sara|Sarah, Hana|Hanaa, Rania|Raniya, Yasmin|Yasmeen, Salma, "
    "Rahma|Rahmah, Asma|Asmaa, Dina|Deena, Reem|Rim, Lina|Leena, Samira|Sameera, Nadia|Nadiya, "
    "Hiba|Heba, Amal, Iman|Eman, Shaima|Shaymaa, Ruqaya|Ruqayya|Rokaya, Safiya|Safia, "
    "Zahra|Zahraa, Malak, Jana|Janna, Maha, Doaa|Duaa, Aya|Ayah, Bushra|Boushra, Ghada, "
    "Widad|Wedad",
    "family": "Al-Hassan|Alhassan|Al Hasan, Haddad|Al-Haddad, Khalil|Khaleel, Mansour|Mansur, "
    "Saleh|Salih, Hamdan, Nasser|Nasir, Al-Ali|Alali, Darwish|Darweesh, Aziz|Al-Aziz, "
    "Hamad|Hammad, Othman|Osman|Uthman, Suleiman|Sulaiman|Soliman, Abboud|Abbud, "
    "Al-Jabouri|Al-Jabbouri|Aljaburi, Al-Obeidi|Al-Ubaydi, Qasem|Kassem, Najjar|Al-Najjar, "
    "Sabbagh|Al-Sabbagh, Khatib|Al-Khatib|Alkhatib, Hijazi|Hejazi, Masri|Al-Masri, "
    "Tamimi|Al-Tamimi, Shami|Al-Shami, Halabi|Al-Halabi, Bakri|Al-Bakri, Zoubi|Al-Zoubi|Al-Zubi, "
    "Rifai|Al-Rifai|Rifaee, Hamwi|Al-Hamwi, Farhan|Farhane, Jaber|Jabir, Awad|Awwad, "
    "Hamid|Al-Hamid, Ismail|Ismael",
    "nicknames": "Mohammed=Hamoudi|Hamada|Mido, Ahmed=Hamada|Hamdi, Abdullah=Abboud|Aboudi, "
    "Youssef=Jojo|Yousi, Hussein=Hassouna, Mustafa=Mousa, Ibrahim=Hima|Bob, Khaled=Khalood, "
    "Fatima=Fatoum|Titi, Khadija=Khadouj, Zainab=Zouzou, Aisha=Shoushou, Maryam=Mimi, Layla=Lulu",
    "rules": "ou>u, ee>i, a>e, q>k, kh>h, dh>z, -a>-ah",
}
_EAST_AFRICAN = {
    "male": "Abdi|Abdy, Mohamed|Mohammed|Maxamed, Ahmed|Axmed, Hassan|Xasan|Hasan, "
    "Yonas|Yohannes|Johannes, Tesfaye|Tesfay, Dawit|Dawitt, Berhane|Berhanu|Birhanu, "
    "Mekonnen|Mekonen, Abebe, Girma|Girmay, Haile|Hailu, Kidane|Kidan, Tekle|Teklay, "
    "Samuel|Samiel, Daniel|Danel, Filmon|Philemon, Amanuel|Emmanuel|Amanual, Yusuf|Yusuuf, "
    "Ali|Cali, Omar|Cumar, Ismail|Ismaaciil|Ismael, Abdirahman|Cabdiraxmaan|Abdulrahman, "
    "Farah|Faarax, Nur|Nuur, Osman|Cusmaan, Guled|Guuleed, Bashir|Bashiir, Dahir|Daahir, "
    "Mulugeta|Mulegeta, Solomon|Selomon, Tsegaye|Tsegay, Getachew|Getachow, Bereket|Biruk, "
    "Mesfin|Mesfen, Yemane|Yemani, Habte|Habtu, Robel|Rubel, Natnael|Nathnael, Aman|Amaan",
    "female": "Amina|Aamina, Fadumo|Faduma, Hodan|Hoodan, Ayaan|Ayan, Sahra|Sahro, "
    "Hawa|Xaawo|Hawo, Halima|Xaliimo|Halimo, Ifrah|Ifraax, Nasra|Nasro, Muna|Muuna, Saba|Sabah, "
    "Selam|Salam, Tigist|Tigst, Meron|Merun, Ruth|Rut, Senait|Senayt, Hiwot|Hiwet, "
    "Aster|Astier, Almaz|Almas, Feven|Fiven, Yordanos|Yordanose, Hanna|Hana, Rahel|Rachel, "
    "Mebrat|Mebrhat, Lemlem|Lemelem, Saada|Sacda, Deqa|Deeqa, Ubah|Ubax, Filsan|Filsaan",
    "family": "",
    "nicknames": "Mohamed=Moha|Hamdi, Abdirahman=Abdi|Cabdi, Yohannes=Johnny|Yoni, "
    "Amanuel=Amanu|Mani, Natnael=Nati, Bereket=Beki, Getachew=Gech, Hawa=Hawo, Halima=Hali, "
    "Tigist=Tigi, Yordanos=Yordi, Fadumo=Fadma|Dumo",
    "rules": "x>h, c>a, aa>a, uu>u, ii>i, e>a, o>u",
}
_AFGHAN = {
    "male": "Ahmad|Ahmed, Mohammad|Muhammad|Mohammed, Abdul|Abdol, Mahmood|Mahmud, "
    "Karim|Kareem, Rahim|Raheem, Hamid|Hameed, Habib|Habeeb, Zabiullah|Zabihullah, "
    "Najibullah|Najeebullah, Hekmatullah|Hikmatullah, Rahmatullah|Rahmatolah, Samiullah|Samiollah, "
    "Noorullah|Nurullah, Ehsan|Ihsan, Farid|Fareed, Jawad|Javad, Sohrab|Suhrab, Wahid|Waheed, "
    "Mustafa|Mostafa, Bilal|Belal, Khalid|Khaled, Naveed|Navid, Omid|Umid, Shafiq|Shafeeq, "
    "Ismail|Esmail, Yama|Yamah, Ajmal|Ajmaal, Jamshid|Jamsheed, Nasir|Naser, Reza|Riza, "
    "Gul|Gol, Wali|Walli, Nabi|Nabee, Sharif|Sharif, Qadir|Kadir, Hassan|Hasan, Hussain|Hussein",
    "female": "Fatima|Fatema, Maryam|Mariam, Zahra|Zohra, Marzia|Marziya, Parwana|Parvana, "
    "Sima|Seema, Nargis|Narges, Shabnam|Shabnum, Malalai|Malalay, Freshta|Fereshta|Fereshteh, "
    "Mursal|Morsal, Hosai|Hosay, Laila|Leila, Masooda|Masuda, Soraya|Suraya, Roya|Rooya, "
    "Fariba|Fareeba, Gulalai|Gulalay, Zarghona|Zarghuna, Nilofar|Nilufar|Niloufar, Sahar|Sehar, "
    "Khadija|Khadijah, Zarmina|Zarmeena, Palwasha|Palwashah, Mahnaz|Mahnoz, Shakila|Shakeela",
    "family": "Ahmadzai|Ahmadzay, Hotak|Hotaki, Popal|Popalzai, Sultani|Soltani, Rahimi|Raheemi, "
    "Karimi|Kareemi, Hashimi|Hashemi, Safi|Safey, Nazari|Nazary, Sadat|Saadat, "
    "Mohammadi|Muhammadi, Amiri|Ameeri, Noori|Nuri, Rezaei|Rezai|Rezaee, Hussaini|Hosseini, "
    "Jafari|Jafary, Stanekzai|Stanikzai, Wardak|Wardag, Haidari|Haideri, Qaderi|Qadiri",
    "nicknames": "Zabiullah=Zabi, Najibullah=Najib, Hekmatullah=Hekmat, Rahmatullah=Rahmat, "
    "Samiullah=Sami, Noorullah=Noor, Mohammad=Mamad, Gulalai=Gula, Freshta=Freshi",
    "rules": "oo>u, ee>i, w>v, q>k, o>u, a>e",
}
_FRANCOPHONE = {
    "male": "Jean|Jhon, Jean-Pierre|Jean Pierre|Jeanpierre, Emmanuel|Emanuel, Joseph|Josef, "
    "Pierre|Piere, Patrick|Patric, Christian|Cristian, Eric|Erick, Olivier|Oliver, Didier|Didie, "
    "Serge|Sergi, Alain|Allain, Moise|Moïse|Moses, Prince|Prinse, Junior|Djunior, "
    "Dieudonne|Dieudonné, Fiston|Fistone, Blaise|Blaize, Ibrahima|Ibrahim, Mamadou|Mamadu|"
    "Mamoudou, Moussa|Musa, Souleymane|Souleimane|Suleiman, Amadou|Ahmadou, Ousmane|Usman|Ousman, "
    "Boubacar|Bubakar, Seydou|Sidou, Lamine|Alamine, Cheikh|Sheikh, Aboubacar|Abubakar, Issa|Isa",
    "female": "Marie|Mari, Marie-Claire|Marie Claire, Aminata|Aminatou, Fatoumata|Fatumata|"
    "Fatimata, Mariam|Mariama|Maryam, Aicha|Aïcha|Aisha, Kadiatou|Khadiatou, Awa|Hawa, "
    "Rokia|Rokiatou, Fanta|Fanta, Djeneba|Dieneba, Esther|Ester, Grace|Grâce, Divine|Divina, "
    "Esperance|Espérance, Josiane|Josianne, Clarisse|Clarise, Chantal|Shantal, Solange|Solanje, "
    "Francoise|Françoise, Beatrice|Béatrice, Nadege|Nadège, Gloire|Gloria, Angele|Angèle",
    "family": "Mbuyi|Mbuyie, Kalonji|Kalondji, Ilunga|Ilounga, Tshibangu|Tshibango|Chibangu, "
    "Mukendi|Mukendji, Kasongo|Kassongo, Ngoy|Ngoyi, Mutombo|Moutombo, Nsimba|Simba, "
    "Lukusa|Loukoussa, Niyonzima|Nyonzima, Ndayishimiye|Ndayisimiye, Hakizimana|Hakizimanna, "
    "Nkurunziza|Nkurunzisa, Habimana|Abimana, Diallo|Djallo|Jallow, Traore|Traoré, "
    "Coulibaly|Kulibali|Coulibali, Keita|Keïta, Camara|Kamara, Toure|Touré, Konate|Konaté, "
    "Sangare|Sangaré, Bah|Ba, Sow|Sou, Barry|Bari, Cisse|Cissé|Sisse, Kone|Koné, "
    "Ouedraogo|Ouédraogo|Wedraogo, Ndiaye|N'Diaye|Njie",
    "nicknames": "Jean-Pierre=JP|Jipé, Emmanuel=Manu, Joseph=Jojo, Dieudonne=Dieu|Dido, "
    "Aboubacar=Abou|Bouba, Boubacar=Bouba, Mamadou=Madou|Mama, Souleymane=Soul, "
    "Fatoumata=Fatou|Tata, Aminata=Mina, Kadiatou=Kadi, Marie-Claire=Clara, Esperance=Espé",
    "rules": "ou>u, é>e, c>k, ss>s, y>i, dj>j",
}
_CENTRAL_AMERICAN = {
    "male": "José|Jose, Juan|Joan, Carlos|Carlo, Luis|Luís, Jorge|Jorje, Miguel|Migel, "
    "Kevin|Kelvin, Brayan|Bryan|Brian, Jonathan|Jonatan|Yonatan, Josué|Josue, Ángel|Angel, "
    "David|Davíd, Daniel|Danyel, Cristian|Christian, Wilmer|Wilmar, Edgar|Édgar, Nelson|Nelsón, "
    "Erick|Eric|Érick, Héctor|Hector, Óscar|Oscar, Javier|Xavier, Francisco|Fransisco, "
    "Elmer|Elmar, Yefri|Jeffry|Jefry, Anderson|Andersson, Alexander|Alexánder, "
    "Jefferson|Yeferson, Jesús|Jesus, Alejandro|Alejandro, Roberto|Robertó",
    "female": "María|Maria, Ana|Anna, Dulce|Dulse, Génesis|Genesis, Yesenia|Jessenia, "
    "Karla|Carla, Andrea|Andrea, Sofía|Sofia, Valeria|Valería, Fernanda|Fernanda, "
    "Heidy|Heydi|Heidi, Yaritza|Jaritza, Yoselin|Joselyn|Yoselyn, Dayana|Diana, "
    "Katherine|Katerin|Catherine, Wendy|Wendi, Daniela|Danyela, Nicole|Nicol, "
    "Lesly|Lesli|Leslie, Glenda|Glenda, Esmeralda|Esmeralda, Rosa|Roza, Marta|Martha, "
    "Guadalupe|Guadalupe, Ingrid|Ingrit",
    "family": "García|Garcia, Hernández|Hernandez, López|Lopez, Martínez|Martinez, "
    "González|Gonzalez|Gonzales, Pérez|Perez, Rodríguez|Rodriguez, Ramírez|Ramirez, Flores|Florez, "
    "Cruz|Crus, Reyes|Reies, Morales|Moralez, Díaz|Diaz, Mejía|Mejia|Megia, Castillo|Castiyo, "
    "Sánchez|Sanchez, Orellana|Orellana, Aguilar|Aguilár, Romero|Romero, Ramos|Ramoz, "
    "Chávez|Chavez, Velásquez|Velasquez|Velazquez, Pineda|Pineda, Méndez|Mendez, "
    "Cáceres|Caceres, Zelaya|Selaya, Portillo|Portiyo, Alvarado|Albarado, Escobar|Escobar, "
    "Ortiz|Ortíz",
    "nicknames": "José=Pepe|Chepe, Francisco=Paco|Pancho|Chico, Guadalupe=Lupe, Jesús=Chuy, "
    "Alejandro=Alex|Jando, Roberto=Beto, Daniel=Dani, Fernanda=Fer|Ferchu, Rosa=Rosita, "
    "Luis=Lucho, Carlos=Carlitos, Alexander=Alex, María=Mari|Maru, Jonathan=Jona",
    "rules": "á>a, é>e, í>i, ó>o, ú>u, z>s, v>b, ll>y",
}
_UKRAINIAN_RUSSIAN = {
    "male": "Oleksandr|Aleksandr|Alexander|Oleksander|Aleksander, Oleksii|Aleksei|Alexey|"
    "Oleksiy|Aleksey, Dmytro|Dmitri|Dmitry|Dmitriy, Andrii|Andrey|Andriy|Andrei, "
    "Serhii|Sergei|Sergey|Serhiy, Mykola|Nikolai|Nikolay|Mikola, Volodymyr|Vladimir|Volodimir, "
    "Ivan|Iwan, Yurii|Yuri|Yuriy|Iurii, Maksym|Maxim|Maksim, Artem|Artyom|Artiom, Denys|Denis, "
    "Bohdan|Bogdan, Vladyslav|Vladislav, Illia|Ilya|Ilia|Illya, Mykhailo|Mikhail|Mykhaylo, "
    "Taras|Tarass, Yaroslav|Iaroslav|Jaroslav, Kyrylo|Kirill|Kyrilo, Matvii|Matvey|Matvei, "
    "Danylo|Daniil|Danilo, Yehor|Egor|Yegor, Tymofii|Timofei|Timofey, Roman|Romann, Pavlo|Pavel, "
    "Viktor|Victor, Vasyl|Vasily|Vasiliy, Petro|Pyotr|Petr, Hryhorii|Grigory|Hryhoriy, "
    "Nazar|Nasar",
    "female": "Olena|Elena|Yelena, Tetiana|Tatiana|Tatyana|Tetyana, Nataliia|Natalia|Nataliya|"
    "Natalya, Anastasiia|Anastasia|Anastasiya, Yuliia|Yulia|Iuliia|Julia, Oksana|Oxana, "
    "Iryna|Irina, Kateryna|Ekaterina|Yekaterina, Mariia|Maria|Mariya, Daria|Dariia|Darya, "
    "Sofiia|Sofia|Sofiya, Anna|Hanna|Ganna, Viktoriia|Viktoria|Victoria, Polina|Polyna, "
    "Alina|Alyna, Khrystyna|Kristina|Christina, Veronika|Veronica, Yevheniia|Evgenia|Yevgeniya, "
    "Liudmyla|Lyudmila|Ludmila, Halyna|Galina, Svitlana|Svetlana, Valentyna|Valentina, "
    "Zlata|Slata, Solomiia|Solomiya, Vira|Vera, Nadiia|Nadezhda, Larysa|Larisa",
    "family": "Kovalenko|Kowalenko, Bondarenko|Bondarenka, Tkachenko|Tkatchenko, "
    "Kravchenko|Kravtchenko, Koval|Kowal, Melnyk|Melnik|Melnick, Boiko|Boyko, "
    "Shevchuk|Shevchuck, Polishchuk|Polischuk|Polishuk, Lysenko|Lisenko, Marchenko|Martchenko, "
    "Savchenko|Savtchenko, Rudenko|Roudenko, Moroz|Morozz, Pavlenko|Pawlenko, "
    "Kovalchuk|Kovaltchuk, Oliinyk|Oleinik|Olijnyk, Tkachuk|Tkatchuk, Ivanov|Ivanow, "
    "Petrov|Petrow, Smirnov|Smirnow, Sydorenko|Sidorenko, Honcharenko|Goncharenko, "
    "Hrytsenko|Gritsenko, Zhuk|Zhouk, Levchenko|Levtchenko, Klymenko|Klimenko, "
    "Romanenko|Romanenco, Yakovenko|Iakovenko, Kharchenko|Harchenko, Volkov|Wolkow, "
    "Kovalevskyi|Kovalevsky|Kovalevskiy, Sokolov|Sokolow",
    "nicknames": "Oleksandr=Sasha|Sashko|Shura, Oleksii=Lesha|Alyosha, Dmytro=Dima, "
    "Andrii=Andriusha, Serhii=Seryozha, Mykola=Kolya|Kolia, Volodymyr=Volodia|Vova, Ivan=Vanya, "
    "Yurii=Yura, Maksym=Maks|Max, Bohdan=Bodia, Vladyslav=Vlad|Slava, Mykhailo=Misha, "
    "Kyrylo=Kiryusha, Danylo=Danya|Danik, Tymofii=Tima, Pavlo=Pasha, Viktor=Vitya, Vasyl=Vasya, "
    "Petro=Petya, Olena=Lena|Olenka, Tetiana=Tanya, Nataliia=Natasha, Anastasiia=Nastya|Nastia, "
    "Yuliia=Yulya, Iryna=Ira, Kateryna=Katya|Katia, Mariia=Masha, Daria=Dasha, Sofiia=Sonya, "
    "Anna=Anya, Viktoriia=Vika, Yevheniia=Zhenya, Liudmyla=Lyuda|Mila, Halyna=Halia|Galya, "
    "Svitlana=Sveta, Valentyna=Valia, Nadiia=Nadia",
    "rules": "kh>h, h>g, y>i, ii>iy, iu>yu, ia>ya, v>w, ch>tch",
}
_ENGLISH = {
    "male": "William|Wiliam, James|Jamess, Oliver|Olliver, Jack|Jak, Harry|Harrie, Thomas|Tomas, "
    "George|Georges, Charlie|Charley, Daniel|Danial, Samuel|Samual, Joseph|Josef, Michael|Micheal, "
    "Matthew|Mathew, Benjamin|Benjamen, Jacob|Jakob, Ethan|Ethen, Lucas|Lukas, Alexander|Alexandre, "
    "Christopher|Kristopher, Jonathan|Johnathan|Jonathon, Nicholas|Nicolas, Steven|Stephen, "
    "Philip|Phillip, Jeffrey|Geoffrey, John|Jon, Peter|Pieter, Paul|Paull, Emmanuel|Emanuel",
    "female": "Olivia|Olivea, Emily|Emilie, Amelia|Amellia, Isla|Islay, Ava|Eva, Sophie|Sophia, "
    "Grace|Grayce, Lily|Lilly, Chloe|Chloé, Ella|Ellah, Jessica|Jesica, Charlotte|Charlotta, "
    "Hannah|Hanna, Megan|Meghan, Rebecca|Rebekah, Katherine|Catherine|Kathryn, "
    "Elizabeth|Elisabeth, Sarah|Sara, Caitlin|Kaitlyn, Isabella|Isabela, Abigail|Abigale, "
    "Mary|Marie, Esther|Ester, Patience|Pacience, Comfort|Comfurt",
    "family": "Smith|Smyth, Jones|Jonse, Williams|Williamson, Brown|Browne, Taylor|Tayler, "
    "Davies|Davis, Evans|Evens, Wilson|Willson, Thomas|Tomas, Johnson|Jonson, Roberts|Robert, "
    "Robinson|Robenson, Thompson|Thomson, Wright|Right, Walker|Walkers, White|Whyte, "
    "Edwards|Edward, Hughes|Hugues, Green|Greene, Hall|Hal, Wood|Woods, Harris|Haris, "
    "Lewis|Louis, Martin|Martyn, Jackson|Jakson, Clarke|Clark, Kollie|Kolie, Flomo|Flomoh, "
    "Kamara|Camara, Doe|Do, Kpadeh|Padeh, Sesay|Sessay, Bangura|Bangoura, Conteh|Conte",
    "nicknames": "William=Will|Bill|Billy, James=Jim|Jamie, Thomas=Tom|Tommy, Daniel=Danny, "
    "Samuel=Sam|Sammy, Joseph=Joe|Joey, Michael=Mike|Mikey, Matthew=Matt, Benjamin=Ben|Benny, "
    "Alexander=Alex, Christopher=Chris, Jonathan=Jon|Jonny, Nicholas=Nick, Steven=Steve, "
    "Philip=Phil, Charlotte=Lottie, Elizabeth=Liz|Lizzie|Beth, Katherine=Kate|Katie, "
    "Rebecca=Becky, Abigail=Abby, Isabella=Bella|Izzy, Jessica=Jess, Emmanuel=Emma|Manny",
    "rules": "ph>f, y>i, ck>k, ll>l",
}

# Countries of origin: "Country|variants", nationality, language, then regions with their
# districts ("Region|variant: District|variant, District; Region: ...").
_COUNTRIES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "arabic": (
        (
            "Syria|Syrian Arab Republic|Syrie",
            "Syrian",
            "Arabic",
            "Aleppo|Halab|Alep: Azaz|Aazaz, Al-Bab|Al Bab|Albab, Manbij|Menbij, Afrin|Efrin; "
            "Idlib|Idleb: Ariha|Areeha, Maarrat al-Numan|Maaret al-Numan, Jisr al-Shughur|"
            "Jisr ash-Shughur; Homs|Hims: Talbiseh|Talbisa, Rastan|Al-Rastan, Qusayr|Al-Qusair; "
            "Deir ez-Zor|Deir al-Zour|Dayr az Zawr: Mayadin|Al-Mayadeen, Abu Kamal|Albukamal; "
            "Daraa|Deraa|Dar'a: Nawa|Nawa, Izra|Ezra",
        ),
        (
            "Iraq|Irak",
            "Iraqi",
            "Arabic",
            "Nineveh|Ninawa|Ninewa: Mosul|Al-Mawsil|Mossoul, Sinjar|Shingal, Tal Afar|Tel Afar; "
            "Anbar|Al-Anbar: Fallujah|Falluja, Ramadi|Al-Ramadi, Hit|Heet; "
            "Salah al-Din|Salahuddin: Tikrit|Tekrit, Baiji|Beiji",
        ),
        (
            "Sudan|Soudan",
            "Sudanese",
            "Arabic",
            "North Darfur|Shamal Darfur: El Fasher|Al-Fashir|Al Fasher, Kutum|Kuttum, "
            "Kabkabiya|Kebkabiya; West Darfur|Gharb Darfur: El Geneina|Al-Junaynah|Geneina, "
            "Kulbus|Kulbous; Khartoum|Al-Khartum: Omdurman|Umm Durman, Bahri|Khartoum North",
        ),
        (
            "Yemen|Yaman",
            "Yemeni",
            "Arabic",
            "Taiz|Ta'izz: Al-Mokha|Mocha|Al-Mukha, Al-Qahirah|Qahira; Hodeidah|Al-Hudaydah|"
            "Hudaida: Zabid|Zebid, Bajil|Bajel; Saada|Sa'dah: Haydan|Heidan, Razih|Razeh",
        ),
    ),
    "east_african": (
        (
            "Somalia|Somalie",
            "Somali",
            "Somali",
            "Bay|Baay: Baidoa|Baydhabo, Burhakaba|Buurhakaba, Dinsor|Diinsoor; "
            "Gedo|Gedo: Bardera|Baardheere, Luuq|Lugh, Beled Hawo|Beled Xaawo; "
            "Lower Shabelle|Shabeellaha Hoose: Afgooye|Afgoye, Marka|Merca, Qoryooley|Qoryoley; "
            "Hiraan|Hiran: Beledweyne|Beled Weyne, Bulo Burto|Bulobarde",
        ),
        (
            "Eritrea|Erythree",
            "Eritrean",
            "Tigrinya",
            "Debub|Southern: Mendefera|Mendefra, Adi Quala|Adi Keyh, Dekemhare|Dekemhere; "
            "Gash-Barka|Gash Barka: Barentu|Barentou, Tesseney|Teseney, Agordat|Akordat; "
            "Maekel|Central: Serejeka|Serejaka, Berikh|Berik",
        ),
        (
            "Ethiopia|Ethiopie",
            "Ethiopian",
            "Amharic",
            "Tigray|Tigrai: Shire|Shire Endaselassie, Axum|Aksum, Adigrat|Adigrat, Humera|Homera; "
            "Amhara|Amara: Gondar|Gonder, Dessie|Dese, Kobo|Qobo; Afar|Affar: Abala|Abaala, "
            "Chifra|Chifra",
        ),
        (
            "South Sudan|S. Sudan|Republic of South Sudan",
            "South Sudanese",
            "Arabic",
            "Upper Nile|Upper Nile State: Malakal|Malakaal, Renk|Rank, Nasir|Nasser; "
            "Jonglei|Jongolei: Bor|Bor Town, Akobo|Akobo, Pibor|Pibor; "
            "Unity|Unity State: Bentiu|Bantiu, Rubkona|Rubkuna, Leer|Ler",
        ),
    ),
    "afghan": (
        (
            "Afghanistan|Afganistan|Islamic Republic of Afghanistan",
            "Afghan",
            "Dari",
            "Kabul|Kabol: Paghman|Pagman, Bagrami|Bagram, Shakardara|Shakar Dara, Chahar Asyab|"
            "Char Asiab; Nangarhar|Ningarhar: Jalalabad|Jalal Abad, Behsud|Bihsud, Khogyani|"
            "Khugyani, Achin|Achine; Kunduz|Qunduz: Imam Sahib|Emam Saheb, Chahar Dara|Char Dara, "
            "Khanabad|Khan Abad; Herat|Hirat: Injil|Enjil, Guzara|Gozara, Shindand|Shindand; "
            "Helmand|Hilmand: Lashkar Gah|Lashkargah, Nad Ali|Nad-e Ali, Sangin|Sangeen",
        ),
    ),
    "francophone": (
        (
            "Democratic Republic of the Congo|DRC|DR Congo|RDC|Congo-Kinshasa",
            "Congolese",
            "French",
            "North Kivu|Nord-Kivu: Rutshuru|Rutshuru, Masisi|Massisi, Beni|Beni, Lubero|Luberro; "
            "South Kivu|Sud-Kivu: Uvira|Uvira, Fizi|Fizzi, Kalehe|Kalehé, Walungu|Walungu; "
            "Ituri|Ituri: Djugu|Jugu, Irumu|Irumu, Mahagi|Mahaki; Kasai|Kasaï: Tshikapa|Chikapa, "
            "Kamonia|Kamonya",
        ),
        (
            "Burundi|Republic of Burundi",
            "Burundian",
            "Kirundi",
            "Cibitoke|Chibitoke: Rugombo|Rugombo, Buganda|Bouganda, Murwi|Murwi; "
            "Kirundo|Kirundo: Busoni|Bussoni, Bugabira|Bugabila; Makamba|Makamba: Nyanza-Lac|"
            "Nyanza Lac, Kayogoro|Kayogoro",
        ),
        (
            "Mali|Republique du Mali",
            "Malian",
            "Bambara",
            "Mopti|Mopti: Bandiagara|Bandiagarra, Djenne|Djenné, Douentza|Duentza; "
            "Timbuktu|Tombouctou: Goundam|Gundam, Dire|Diré, Niafunke|Niafunké; "
            "Segou|Ségou: Macina|Massina, Niono|Nyono",
        ),
        (
            "Guinea|Guinee|Guinée",
            "Guinean",
            "French",
            "Nzerekore|N'Zérékoré: Lola|Lola, Beyla|Beïla, Yomou|Yomu; Kankan|Kankan: Siguiri|"
            "Siguri, Kouroussa|Kurussa, Mandiana|Mandianna",
        ),
    ),
    "central_american": (
        (
            "Honduras|Republica de Honduras",
            "Honduran",
            "Spanish",
            "Cortés|Cortes: San Pedro Sula|S. Pedro Sula, Choloma|Cholomá, Villanueva|Villa Nueva; "
            "Francisco Morazán|Francisco Morazan: Tegucigalpa|Tegus, Talanga|Talanga; "
            "Olancho|Olancho: Juticalpa|Juticalpa, Catacamas|Catacamaz; Yoro|Yoro: El Progreso|"
            "Progreso, Olanchito|Olanchito",
        ),
        (
            "Guatemala|Guate",
            "Guatemalan",
            "Spanish",
            "Huehuetenango|Huehue: Cuilco|Cuilko, Jacaltenango|Jacaltenango, Barillas|Santa Cruz "
            "Barillas; Quiché|Quiche|El Quiché: Nebaj|Nebaj, Chajul|Chajúl, Uspantán|Uspantan; "
            "San Marcos|San Marcos: Tejutla|Tejutla, Malacatán|Malacatan",
        ),
        (
            "El Salvador|Salvador",
            "Salvadoran",
            "Spanish",
            "San Miguel|San Miguel: Chinameca|Chinameca, Ciudad Barrios|Cd. Barrios; "
            "La Libertad|La Libertad: Colón|Colon, Zaragoza|Saragoza; Usulután|Usulutan: "
            "Jiquilisco|Jiquilisko, Santiago de María|Santiago de Maria",
        ),
    ),
    "ukrainian_russian": (
        (
            "Ukraine|Ukraina",
            "Ukrainian",
            "Ukrainian",
            "Kharkivska|Kharkiv Oblast|Kharkovskaya: Kharkiv|Kharkov|Harkov|Charkiw, "
            "Izium|Izyum, Kupiansk|Kupyansk, Chuhuiv|Chuguev; Donetska|Donetsk Oblast|"
            "Donetskaya: Mariupol|Mariupil, Bakhmut|Bakhmout, Kramatorsk|Kramatorsk, "
            "Pokrovsk|Pokrovs'k; Khersonska|Kherson Oblast|Khersonskaya: Kherson|Herson|Cherson, "
            "Beryslav|Berislav, Nova Kakhovka|Novaya Kakhovka; Zaporizka|Zaporizhzhia Oblast|"
            "Zaporozhskaya: Zaporizhzhia|Zaporozhye|Zaporizhia, Melitopol|Melitopil, "
            "Berdiansk|Berdyansk; Mykolaivska|Mykolaiv Oblast|Nikolaevskaya: Mykolaiv|Nikolaev|"
            "Mykolayiv, Ochakiv|Ochakov; Sumska|Sumy Oblast: Sumy|Summy, Okhtyrka|Akhtyrka",
        ),
    ),
    "english": (
        (
            "Liberia|Republic of Liberia",
            "Liberian",
            "English",
            "Montserrado|Montserado: Careysburg|Careysberg, Todee|Todi, St. Paul River|"
            "Saint Paul River; Nimba|Nimba County: Ganta|Gahnpa, Sanniquellie|Saniquellie, "
            "Tappita|Tapita; Lofa|Lofa County: Voinjama|Voinjamma, Foya|Foyah, Zorzor|Zorzorr; "
            "Bong|Bong County: Gbarnga|Gbarga, Salala|Salalah",
        ),
        (
            "Sierra Leone|S. Leone",
            "Sierra Leonean",
            "English",
            "Eastern|Eastern Province: Kailahun|Kailahoun, Kenema|Kenama, Kono|Koidu; "
            "Northern|Northern Province: Bombali|Makeni, Port Loko|Portloko, Kambia|Kambiah; "
            "Southern|Southern Province: Bo|Bo Town, Pujehun|Pujehon",
        ),
    ),
}
# Neighbouring places where families get separated on the way ("Country|variants: Region:
# District, ...").
_TRANSIT: dict[str, tuple[tuple[str, str], ...]] = {
    "arabic": (
        (
            "Turkey|Turkiye|Türkiye",
            "Hatay|Antakya: Reyhanli|Reyhanly, Kirikhan|Kyrykhan; "
            "Gaziantep|Antep: Nizip|Nezip, Islahiye|İslahiye",
        ),
        ("Lebanon|Liban", "Bekaa|Beqaa: Zahle|Zahleh, Baalbek|Baalbeck"),
        ("Jordan|Jordanie", "Mafraq|Al-Mafraq: Zaatari|Za'atari, Ruwayshid|Ruweished"),
        ("Chad|Tchad", "Ouaddai|Ouaddaï: Adre|Adré, Farchana|Farchane"),
    ),
    "east_african": (
        (
            "Kenya|Kenia",
            "Garissa|Garisa: Dadaab|Dadab, Ifo|Ifo Camp; Turkana|Turkana County: "
            "Kakuma|Kakuma Camp, Lodwar|Lodwa",
        ),
        ("Uganda|Ouganda", "Adjumani|Ajumani: Nyumanzi|Nyumanzi, Pagirinya|Pagrinya"),
        ("Sudan|Soudan", "Kassala|Kasala: Shagarab|Shagrab, Wad Sharifey|Wad Sherife"),
        ("Libya|Libye", "Tripoli|Tarabulus: Tajoura|Tajura, Janzour|Janzur"),
    ),
    "afghan": (
        (
            "Iran|Islamic Republic of Iran",
            "Khorasan Razavi|Razavi Khorasan: Mashhad|Mashad, "
            "Torbat-e Jam|Torbat Jam; Sistan and Baluchestan|Sistan-Baluchistan: Zahedan|Zahidan",
        ),
        (
            "Pakistan|Pakestan",
            "Khyber Pakhtunkhwa|KPK: Peshawar|Pishawar, Torkham|Torkhum; "
            "Balochistan|Baluchistan: Quetta|Kwetta, Chaman|Chamman",
        ),
        ("Turkey|Turkiye", "Van|Van Province: Ozalp|Özalp, Saray|Saray"),
    ),
    "francophone": (
        (
            "Uganda|Ouganda",
            "Isingiro|Isingiro District: Nakivale|Nakivale Settlement; "
            "Kisoro|Kisoro District: Nyakabande|Nyakabanda, Bunagana|Bunagana",
        ),
        (
            "Rwanda|Ruanda",
            "Western|Ouest: Rubavu|Gisenyi, Rusizi|Cyangugu; Eastern|Est: Mahama|Mahama Camp",
        ),
        ("Burkina Faso|Burkina", "Sahel|Sahel Region: Djibo|Djibou, Dori|Dori"),
        ("Niger|Niger Republic", "Tillaberi|Tillabéri: Ayorou|Ayoru, Abala|Aballa"),
    ),
    "central_american": (
        (
            "Mexico|México",
            "Chiapas|Chiapaz: Tapachula|Tapachulla, Ciudad Hidalgo|Cd. Hidalgo; "
            "Chihuahua|Chihuahua: Ciudad Juárez|Ciudad Juarez|Cd. Juárez; Tamaulipas|Tamaulipas: "
            "Reynosa|Reinosa, Matamoros|Matamoros",
        ),
        (
            "Guatemala|Guate",
            "Petén|Peten: El Ceibo|Ceibo; Izabal|Izabal: Puerto Barrios|Pto. Barrios",
        ),
        (
            "United States|USA|Estados Unidos",
            "Texas|TX: El Paso|El Paso, McAllen|Mc Allen, "
            "Brownsville|Brownsvile; Arizona|AZ: Yuma|Yuma, Nogales|Nogales",
        ),
    ),
    "ukrainian_russian": (
        (
            "Poland|Polska|Pologne",
            "Podkarpackie|Subcarpathian: Przemysl|Przemyśl|Peremyshl, "
            "Medyka|Medika; Lubelskie|Lublin Voivodeship: Chelm|Chełm|Kholm, Dorohusk|Dorogusk",
        ),
        (
            "Moldova|Moldavia|Republic of Moldova",
            "Palanca|Palanka: Palanca|Palanka; Ocnita|Ocnița: Otaci|Otachi",
        ),
        ("Romania|Rumunia", "Suceava|Suchava: Siret|Seret; Satu Mare|Satu-Mare: Halmeu|Halmeu"),
        (
            "Russia|Russian Federation|Rossiya",
            "Belgorod|Belgorodskaya: Belgorod|Bilhorod, "
            "Shebekino|Shebekyno; Rostov|Rostovskaya: Taganrog|Tahanrih, Rostov-on-Don|Rostov na Donu",
        ),
    ),
    "english": (
        ("Guinea|Guinee", "Nzerekore|N'Zérékoré: Lola|Lola, Bossou|Bosou"),
        (
            "Cote d'Ivoire|Ivory Coast|Côte d'Ivoire",
            "Montagnes|Mountains: Danane|Danané, Toulepleu|Toulépleu",
        ),
    ),
}
# Village names: "<first> <second>" or "<first><second>" (a leading "+" glues), each part a group.
_VILLAGES: dict[str, tuple[str, str]] = {
    "arabic": (
        "Kafr|Kfar, Tell|Tal, Deir|Dayr, Ain|Ayn|Ein, Beit|Bayt, Umm|Um, Khirbet|Khirbat, "
        "Jabal|Jebel, Bir|Beer, Ras|Raas",
        "Hamra|Hamraa, Nabi|Nebi, Zaytoun|Zeitoun, Sultan|Soltan, Abyad|Abiad, Shams|Chams, "
        "Karama|Karameh, Salam|Salaam, Hajar|Hagar, Nahr|Nahar, Tuffah|Tuffaha, Rumman|Roumman, "
        "Sharqi|Sharki, Gharbi|Gharby, Kabir|Kebir, Saghir|Sagheer, Jadid|Jedid, Qadim|Kadim",
    ),
    "east_african": (
        "Adi|Addi, Mai|May, Ceel|El|Eel, Beled|Balad, Dhuu|Du, Qoryo|Koryo, Gara|Garra, "
        "Abune|Abuna, Kebri|Qabri, Hawo|Xaawo",
        "Keyh|Keih, Habar|Xabar, Dheere|Dere, Weyne|Wein, Barde|Bardhe, Gudud|Gudhud, "
        "Tukul|Toukoul, Gabo|Gebo, Tsada|Tsaeda, Selam|Salam, Daro|Dharo, Bahri|Bahari, "
        "Wanag|Waanag, Amin|Amiin",
    ),
    "afghan": (
        "Qala|Kala, Deh|Dih, Sang|Sangi, Bagh|Baq, Chah|Chahi, Shah|Sha, Khwaja|Khoja, Mir|Meer, "
        "Gul|Gol, Sar|Ser, Pul|Pol, Kariz|Kareez",
        "Abad|Abaad, Khel|Kheyl, Zai|Zay, Dara|Darra, Kalay|Kalai, Bala|Baala, Payan|Paen, "
        "Sabz|Sabzi, Now|Naw, Kohna|Kuhna, Surkh|Sorkh, Safid|Sefid, Ghar|Ghaar",
    ),
    "francophone": (
        "Ki|Kee, Mu|Mou, Ka|Ca, Lu|Lou, Bu|Bou, Nya|Nia, Kam|Cam, Sa|Ssa, Do|Dou, Ban|Bane",
        "+tembo|tembou, +kanga|canga, +sanga|ssanga, +lenge|lengue, +bunda|bounda, +shasha|chacha, "
        "+kongo|congo, +gabu|gabou, +rama|rrama, +nzi|nzy, +goro|gourou, +bala|balla, +kuru|kourou",
    ),
    "central_american": (
        "San|S., Santa|Sta., El|El, La|La, Los|Los, Agua|Agua, Nueva|Nva., Villa|Vila",
        "José|Jose, Miguel|Migel, Pedro|Pedro, Rosario|Rosário, Ceiba|Seiba, Esperanza|Esperansa, "
        "Naranjo|Naranjos, Limón|Limon, Cedros|Sedros, Encino|Ensino, Jocotal|Jocotál, "
        "Pinos|Pino, Brisas|Brizas, Colonia|Col., Cruz|Crus, Palmas|Palma",
    ),
    "ukrainian_russian": (
        "Novo|Nova, Staro|Stara, Velyko|Veliko, Mala|Malo, Ozer|Ozyor, Berez|Beriez, Sosn|Sosen, "
        "Lypov|Lipov, Vyshn|Vishn, Krasn|Krasno, Zelen|Zelyon, Holub|Golub, Khutir|Hutir, "
        "Petr|Petro, Mykhail|Mikhail",
        "+ivka|ovka, +ne|noye, +ove|ovo, +ka|kaya, +ytsia|itsa, +ychi|ichi, +ske|skoye, "
        "+ivtsi|ovtsy, +yn|in",
    ),
    "english": (
        "Gbar|Bar, Kpa|Pa, Zor|Sor, Sanoy|Sanoi, Tum|Toum, Gbo|Bo, Kolah|Kola, Bel|Bell, Fan|Fahn",
        "+town|Town, +ta|tah, +la|lah, +ma|mah, +wein|wen, +ga|gah, +yea|ye, +bu|bou",
    ),
}
_TRADITION_WEIGHTS: dict[str, float] = {
    "arabic": 0.22,
    "east_african": 0.16,
    "afghan": 0.14,
    "francophone": 0.14,
    "central_american": 0.12,
    "ukrainian_russian": 0.12,
    "english": 0.10,
}
_SYSTEMS: dict[str, str] = {
    "arabic": "arabic",
    "east_african": "patronymic",
    "afghan": "single",
    "francophone": "surname",
    "central_american": "two_surnames",
    "ukrainian_russian": "surname",
    "english": "surname",
}
_RELATIVES = (  # requester relationship (to the sought child), weight
    ("mother", 40),
    ("father", 33),
    ("aunt", 8),
    ("uncle", 7),
    ("grandmother", 6),
    ("grandfather", 2),
    ("sister", 2),
    ("brother", 2),
)
_RELATIVE_NAMES = [name for name, _ in _RELATIVES]
_RELATIVE_CUM = list(accumulate(weight for _, weight in _RELATIVES))
_CHILD_COUNT_CUM = list(accumulate((55, 25, 13, 7)))  # 1-4 separated children per family
_TYPO_LETTERS = "abcdefghiklmnorstuy"


def _groups(spec: str) -> list[Group]:
    return [tuple(part.strip() for part in item.split("|")) for item in spec.split(", ") if item]


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


@dataclass(frozen=True)
class _NamePool:
    groups: list[Group]
    cum: list[float]  # cumulative weights

    def draw(self, rng: random.Random) -> Group:
        return self.groups[bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass(frozen=True)
class _Place:
    parts: tuple[Group, ...]  # country, region, district[, village]


@dataclass(frozen=True)
class _Tradition:
    name: str
    system: str
    male: _NamePool
    female: _NamePool
    family: _NamePool | None
    nicknames: dict[str, Group]
    countries: list[tuple[Group, str, str, list[tuple[Group, list[tuple[Group, list[Group]]]]]]]
    transit: list[tuple[Group, list[tuple[Group, list[Group]]]]]


def _respell(name: str, rules: list[tuple[str, str]], rng: random.Random) -> str:
    """Another plausible spelling of `name` by one of the tradition's rules, or `name`."""
    applicable = []
    for old, new in rules:
        if old.startswith("-"):
            if name.endswith(old[1:]):
                applicable.append((old, new))
        elif old in name or old.capitalize() in name:
            applicable.append((old, new))
    if not applicable:
        return name
    old, new = rng.choice(applicable)
    if old.startswith("-"):
        return name[: -len(old) + 1] + new[1:]
    if old in name:
        return name.replace(old, new, 1)
    return name.replace(old.capitalize(), new.capitalize(), 1)


def _with_variants(
    groups: list[Group], rules: list[tuple[str, str]], rng: random.Random
) -> list[Group]:
    """Single-spelling groups get one more spelling from the respelling rules."""
    result = []
    for group in groups:
        if len(set(group)) == 1:
            variant = _respell(group[0], rules, rng)
            group = (group[0], variant) if variant != group[0] else (group[0],)
        result.append(tuple(dict.fromkeys(group)))  # drop repeated spellings
    return result


def _regions(spec: str) -> list[tuple[Group, list[Group]]]:
    regions = []
    for item in spec.split("; "):
        region, districts = item.split(": ")
        regions.append((_groups(region)[0], _groups(districts)))
    return regions


def _village_names(tradition: str, rng: random.Random, count: int) -> list[Group]:
    firsts, seconds = (_groups(part) for part in _VILLAGES[tradition])
    names: dict[str, Group] = {}
    while len(names) < count:
        first, second = rng.choice(firsts), rng.choice(seconds)
        glue = "" if second[0].startswith("+") else " "
        spellings = [
            a + glue + b.lstrip("+") if glue else a + b.lstrip("+")
            for a in first[:2]
            for b in second[:2]
        ]
        if not glue:
            spellings = [s[0].upper() + s[1:] for s in spellings]
        names.setdefault(spellings[0], tuple(dict.fromkeys(spellings)))
    return list(names.values())


@cache
def _traditions() -> dict[str, _Tradition]:
    """The pools, built once (deterministically: their own fixed seed)."""
    rng = random.Random(20260901)  # noqa: S311 (synthetic names, seeded)
    pools = {
        "arabic": _ARABIC,
        "east_african": _EAST_AFRICAN,
        "afghan": _AFGHAN,
        "francophone": _FRANCOPHONE,
        "central_american": _CENTRAL_AMERICAN,
        "ukrainian_russian": _UKRAINIAN_RUSSIAN,
        "english": _ENGLISH,
    }
    traditions = {}
    for name, spec in pools.items():
        rules = [tuple(rule.split(">")) for rule in spec["rules"].split(", ")]
        pairs = [(old, new) for old, new in rules]

        def pool(
            key: str, spec: dict[str, str] = spec, pairs: list[tuple[str, str]] = pairs
        ) -> _NamePool:
            groups = _with_variants(_groups(spec[key]), pairs, rng)
            return _NamePool(groups, _zipf(len(groups)))

        nicknames = {}
        for item in spec["nicknames"].split(", "):
            canonical, nicks = item.split("=")
            nicknames[canonical] = tuple(nicks.split("|"))
        countries = []
        for country, nationality, language, regions in _COUNTRIES[name]:
            with_villages = [
                (region, [(district, _village_names(name, rng, 25)) for district in districts])
                for region, districts in _regions(regions)
            ]
            countries.append((_groups(country)[0], nationality, language, with_villages))
        transit = [(_groups(country)[0], _regions(regions)) for country, regions in _TRANSIT[name]]
        traditions[name] = _Tradition(
            name=name,
            system=_SYSTEMS[name],
            male=pool("male"),
            female=pool("female"),
            family=pool("family") if spec["family"] else None,
            nicknames=nicknames,
            countries=countries,
            transit=transit,
        )
    return traditions


# --- The generator ----------------------------------------------------------------------------

Name = tuple[Group, int]  # a name group and the family's own spelling of it (an index)


@dataclass(slots=True)
class _Child:
    given: Name
    sex: str
    birth: date
    registered: bool = False
    row: int = -1  # index in the children rows once registered


@dataclass(slots=True)
class _Family:
    number: int
    tradition: _Tradition
    nationality: str
    language: str
    origin: tuple[Group, ...]  # country, region, district, village
    separation_place: tuple[Group, ...]
    separated: date
    father: Name
    mother: Name
    grandfather: Name  # the father's father (patronymic family names)
    mother_father: Name  # the mother's father
    family_name: Name | None  # surname, Arabic family name, Afghan optional name
    father_second: Name | None  # two surnames: the father's second surname
    mother_family: Name | None  # the mother's own (first) surname
    mother_second: Name | None  # two surnames: the mother's second surname
    children: list[_Child] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    values: dict[str, str]
    labels: list[str]
    family: int
    child: _Child | None = None  # request rows: the sought child
    request: int = -1  # request rows: the request's number


class _Generator:
    def __init__(self, rng: random.Random, noise: Noise) -> None:
        self.rng = rng
        self.r = rng.random
        self.noise = noise
        self.traditions = _traditions()
        self.tradition_list = [self.traditions[name] for name in _TRADITION_WEIGHTS]
        self.tradition_cum = list(accumulate(_TRADITION_WEIGHTS.values()))
        self.families: list[_Family] = []
        self.cousins: dict[int, int] = {}
        self.children: list[_Row] = []
        self.requests: list[list[_Row]] = []

    # Faster than Random.choice / randrange / randint (no rejection sampling; the bias of
    # int(random() * n) is far below anything a benchmark could notice).
    def _pick(self, items: Sequence[T]) -> T:
        return items[int(self.r() * len(items))]

    def _below(self, stop: int) -> int:
        return int(self.r() * stop)

    def _between(self, low: int, high: int) -> int:
        return low + int(self.r() * (high - low + 1))

    # -- drawing the truth --

    def _name(self, pool: _NamePool) -> Name:
        r, cum = self.r, pool.cum
        group = pool.groups[bisect(cum, r() * cum[-1])]
        own = 0 if len(group) == 1 or r() < 0.75 else int(r() * len(group))
        return group, own

    def _family(self) -> _Family:
        r = self.r
        tradition = self.tradition_list[bisect(self.tradition_cum, r() * self.tradition_cum[-1])]
        country, nationality, language, regions = self._pick(tradition.countries)
        region, districts = self._pick(regions)
        district, villages = self._pick(districts)
        origin = (country, region, district, self._pick(villages))
        separated = date.fromordinal(self._between(FIRST_SEPARATION, LAST_SEPARATION))
        system = tradition.system
        has_family_name = system in ("surname", "two_surnames", "arabic") or (
            system == "single" and r() < 0.5
        )
        family = _Family(
            number=len(self.families),
            tradition=tradition,
            nationality=nationality,
            language=language,
            origin=origin,
            separation_place=self._separation_place(tradition, origin),
            separated=separated,
            father=self._name(tradition.male),
            mother=self._name(tradition.female),
            grandfather=self._name(tradition.male),
            mother_father=self._name(tradition.male),
            family_name=self._name(tradition.family)
            if has_family_name and tradition.family
            else None,
            father_second=self._name(tradition.family)
            if system == "two_surnames" and tradition.family
            else None,
            mother_family=self._name(tradition.family) if tradition.family else None,
            mother_second=self._name(tradition.family)
            if system == "two_surnames" and tradition.family
            else None,
        )
        self._add_children(family)
        self.families.append(family)
        return family

    def _separation_place(
        self, tradition: _Tradition, origin: tuple[Group, ...]
    ) -> tuple[Group, ...]:
        rng, draw = self.rng, self.r()
        if draw < 0.3:  # separated at home
            return origin
        if draw < 0.65:  # elsewhere in the country of origin
            for country, _, _, regions in tradition.countries:
                if country == origin[0]:
                    region, districts = self._pick(regions)
                    district, villages = self._pick(districts)
                    if rng.random() < 0.5:
                        return (country, region, district, self._pick(villages))
                    return (country, region, district)
        abroad, transit_regions = self._pick(tradition.transit)
        transit_region, transit_districts = self._pick(transit_regions)
        return (abroad, transit_region, self._pick(transit_districts))

    def _add_children(self, family: _Family) -> None:
        r = self.r
        count = bisect(_CHILD_COUNT_CUM, r() * _CHILD_COUNT_CUM[-1]) + 1
        ages: set[int] = set()
        groups: set[Group] = set()
        while len(family.children) < count:
            age = self._below(18)
            sex = "M" if r() < 0.52 else "F"
            given = self._name(family.tradition.male if sex == "M" else family.tradition.female)
            if age in ages or given[0] in groups:
                continue  # siblings: a year apart at least, never the same name
            ages.add(age)
            groups.add(given[0])
            birth = date.fromordinal(
                family.separated.toordinal() - age * 365 - 1 - self._below(364)
            )
            family.children.append(_Child(given=given, sex=sex, birth=birth))

    def _cousin(self, family: _Family) -> _Family:
        """The father's brother's family: same grandfather and family name, same village or
        district, often separated in the same event."""
        r = self.r
        tradition = family.tradition
        origin = family.origin
        if r() < 0.3:
            for country, _, _, regions in tradition.countries:
                if country != origin[0]:
                    continue
                for region, districts in regions:
                    for district, villages in districts:
                        if region == origin[1] and district == origin[2]:
                            origin = (*origin[:3], self._pick(villages))
        same_event = r() < 0.6
        uncle = self._name(tradition.male)
        while uncle[0] == family.father[0]:
            uncle = self._name(tradition.male)
        cousin = _Family(
            number=len(self.families),
            tradition=tradition,
            nationality=family.nationality,
            language=family.language,
            origin=origin,
            separation_place=family.separation_place
            if same_event
            else self._separation_place(tradition, origin),
            separated=family.separated
            if same_event
            else date.fromordinal(self._between(FIRST_SEPARATION, LAST_SEPARATION)),
            father=uncle,
            mother=self._name(tradition.female),
            grandfather=family.grandfather,
            mother_father=self._name(tradition.male),
            family_name=family.family_name,
            father_second=family.father_second,
            mother_family=self._name(tradition.family) if tradition.family else None,
            mother_second=self._name(tradition.family)
            if family.mother_second and tradition.family
            else None,
        )
        self._add_children(cousin)
        self.families.append(cousin)
        self.cousins[family.number] = cousin.number
        self.cousins[cousin.number] = family.number
        return cousin

    # -- observing it --

    def _say(self, name: Name, labels: list[str], label: str = TRANSLITERATION) -> str:
        group, own = name
        if len(group) > 1 and self.r() < self.noise.transliteration:
            other = self._below(len(group) - 1)
            labels.append(label)
            return group[other if other < own else other + 1]
        return group[own]

    def _typo(self, text: str) -> str:
        i = self._below(len(text))
        kind = self._below(4)
        if kind == 0 and len(text) > 3:
            return text[:i] + text[i + 1 :]
        if kind == 1 and i + 1 < len(text):
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if kind == 3:
            return text[:i] + text[i] + text[i:]
        letter = self._pick(_TYPO_LETTERS)
        return text[:i] + (letter.upper() if text[i].isupper() else letter) + text[i + 1 :]

    def _family_name(self, family: _Family, child: _Child, labels: list[str], *, side: str) -> str:
        noise, r = self.noise, self.r
        system = family.tradition.system
        if system == "patronymic":
            if r() < noise.patronymic_shift:
                labels.append(PATRONYMIC_SHIFT)
                return self._say(family.grandfather, labels)
            return self._say(family.father, labels)
        if family.family_name is None:
            return ""
        if system == "single" and r() < noise.single_name:
            labels.append(SINGLE_NAME)
            return ""
        if system == "arabic" and side == "child" and r() < noise.ibn_form:
            labels.append(IBN_FORM)
            return ("bin " if r() < 0.6 else "ibn ") + self._say(family.father, labels)
        name = self._say(family.family_name, labels)
        if family.tradition.name == "ukrainian_russian" and child.sex == "F":
            name = _feminine(name)
        if system == "two_surnames" and family.mother_family is not None:
            if r() < noise.surname_partial:
                labels.append(SURNAME_PARTIAL)
                return name
            return f"{name} {self._say(family.mother_family, labels)}"
        return name

    def _parent(self, family: _Family, *, father: bool, labels: list[str]) -> str:
        """The parent's full name as the family gives it."""
        system = family.tradition.system
        given = self._say(family.father if father else family.mother, labels, PARENT_SPELLING)
        rest: list[Name | None]
        if system == "patronymic":
            rest = [family.grandfather if father else family.mother_father]
        elif system == "two_surnames":
            rest = (
                [family.family_name, family.father_second]
                if father
                else [family.mother_family, family.mother_second]
            )
        elif father or system == "surname":  # a married mother goes by the family's surname
            rest = [family.family_name]
        elif system == "single":
            rest = []
        else:
            rest = [family.mother_family]
        parts = [given] + [
            self._say(name, labels, PARENT_SPELLING) for name in rest if name is not None
        ]
        if not father and family.tradition.name == "ukrainian_russian" and len(parts) > 1:
            parts[-1] = _feminine(parts[-1])
        return " ".join(parts)

    def _place(self, parts: tuple[Group, ...], labels: list[str]) -> str:
        noise, r = self.noise, self.r
        if r() < noise.place_missing:
            labels.append(PLACE_MISSING)
            return ""
        names = [group[0] for group in parts]
        if r() < noise.place_variant:
            options = [i for i, group in enumerate(parts) if len(group) > 1]
            if options:
                i = self._pick(options)
                names[i] = self._pick(parts[i][1:])
                labels.append(PLACE_VARIANT)
        if r() < noise.place_depth and len(names) > 2:
            kind = self._below(3)
            if kind == 0:
                names = names[:-1]  # one level less
            elif kind == 1:
                names = names[:2]  # country and region only
            else:
                names[1 + self._below(len(names) - 2)] = ""  # a level skipped
            labels.append(PLACE_DEPTH)
        return ";".join(names)

    def _date(self, day: date, labels: list[str], *, shift: bool) -> str:
        noise, r = self.noise, self.r
        if shift:
            if r() < noise.date_missing:
                labels.append(DATE_MISSING)
                return ""
            if r() < noise.date_shift:
                offset = self._between(3, 45)
                day = date.fromordinal(day.toordinal() + (offset if r() < 0.5 else -offset))
                labels.append(DATE_SHIFT)
        text = day.isoformat()
        if r() < noise.month_only:
            labels.append(MONTH_ONLY)
            return text[:7]
        return text

    def _age_off(self, age: int, rate: float, labels: list[str]) -> int:
        if self.r() < rate:
            labels.append(AGE_OFF)
            off = self._between(1, 3)
            return age + off if self.r() < 0.5 or age < off else age - off
        return age

    def _other_fields(
        self, values: dict[str, str], keys: tuple[str, ...], labels: list[str]
    ) -> None:
        """One field emptied (missing_field), one name mistyped (typo)."""
        if self.r() < self.noise.missing_field:
            key = self._pick(keys[4:])
            values[key] = "U" if key.endswith("sex") else ""
            labels.append(MISSING_FIELD)
        if self.r() < self.noise.typo:
            filled = [key for key in keys[:4] if len(values[key]) > 1]
            if filled:
                key = self._pick(filled)
                values[key] = self._typo(values[key])
                labels.append(TYPO)

    def _register(self, family: _Family, child: _Child) -> None:
        noise, r, rng = self.noise, self.r, self.rng
        labels: list[str] = []
        tradition = family.tradition
        given = self._say(child.given, labels)
        other: list[str] = []
        nicknames = tradition.nicknames.get(child.given[0][0])
        if nicknames and r() < noise.nickname:
            labels.append(NICKNAME)
            if r() < 0.3:
                other.append(given)
            given = self._pick(nicknames)
        elif nicknames and r() < 0.15:
            other.append(self._pick(nicknames))
        family_name = self._family_name(family, child, labels, side="child")
        father = self._parent(family, father=True, labels=labels)
        mother = self._parent(family, father=False, labels=labels)
        if r() < noise.first_name_only:
            labels.append(FIRST_NAME_ONLY)
            family_name = ""
            father = father.split(" ")[0] if r() < 0.5 else ""
            mother = mother.split(" ")[0] if r() < 0.5 else ""
        else:
            if r() < 0.4:
                father = father.split(" ")[0]
            if r() < 0.4:
                mother = mother.split(" ")[0]
        if family_name and r() < noise.swapped_names:
            labels.append(SWAPPED_NAMES)
            given, family_name = family_name, given
        registered = date.fromordinal(
            min(
                family.separated.toordinal() + int(rng.expovariate(1 / 90)),
                LAST_SEPARATION + 180,
            )
        )
        age = _age(child.birth, registered)
        if r() < noise.age_only:
            labels.append(AGE_ONLY)
            birth, estimate = "", str(self._age_off(age, noise.age_off, labels))
        else:
            birth = self._date(child.birth, labels, shift=False)
            estimate = str(age) if r() < 0.3 else ""
        if r() < 0.4:
            caregiver_pool = tradition.female if r() < 0.6 else tradition.male
            caregiver = self._say(self._name(caregiver_pool), [])
            if tradition.family is not None:
                caregiver += " " + self._say(self._name(tradition.family), [])
        else:
            caregiver = ""
        values = {
            "child_id": "",
            "given_name": given,
            "family_name": family_name,
            "other_names": ";".join(other),
            "sex": child.sex,
            "date_of_birth": birth,
            "age_estimate": estimate,
            "registration_date": registered.isoformat(),
            "place_of_origin": self._place(family.origin, labels),
            "place_of_separation": self._place(family.separation_place, labels),
            "date_of_separation": self._date(family.separated, labels, shift=True),
            "father_name": father,
            "mother_name": mother,
            "caregiver_name": caregiver,
            "language": family.language,
            "nationality": family.nationality,
        }
        self._other_fields(values, _CHILD_NOISE_KEYS, labels)
        child.registered = True
        child.row = len(self.children)
        self.children.append(_Row(values, labels, family.number))

    def _request(self, family: _Family, sought: list[_Child], relationship: str) -> None:
        noise, r, rng = self.noise, self.r, self.rng
        tradition = family.tradition
        shared: list[str] = []  # labels of the request's own fields, on every row
        father = self._parent(family, father=True, labels=shared)
        mother = self._parent(family, father=False, labels=shared)
        if relationship == "father":
            requester = father
        elif relationship == "mother":
            requester = mother
        else:
            female = relationship in ("aunt", "grandmother", "sister")
            requester = self._say(self._name(tradition.female if female else tradition.male), [])
            if family.family_name is not None:
                requester += " " + self._say(family.family_name, [])
        number = len(self.requests)
        request_date = date.fromordinal(
            family.separated.toordinal() + int(rng.expovariate(1 / 60))
        ).isoformat()
        common = {
            "request_id": "",
            "requester_name": requester,
            "requester_relationship": relationship,
            "date_of_separation": self._date(family.separated, shared, shift=True),
            "place_of_separation": self._place(family.separation_place, shared),
            "place_of_origin": self._place(family.origin, shared),
            "father_name": father,
            "mother_name": mother,
            "request_date": request_date,
            "language": family.language,
            "nationality": family.nationality,
        }
        rows = []
        for child in sought:
            labels = list(shared)
            given = self._say(child.given, labels)
            nicknames = tradition.nicknames.get(child.given[0][0])
            other = self._pick(nicknames) if nicknames and r() < 0.5 else ""
            family_name = self._family_name(family, child, labels, side="request")
            if family_name and r() < noise.swapped_names:
                labels.append(SWAPPED_NAMES)
                given, family_name = family_name, given
            age = _age(child.birth, family.separated)
            if r() < noise.request_age_only:
                labels.append(AGE_ONLY)
                birth, age_text = "", str(self._age_off(age, noise.request_age_off, labels))
            else:
                birth = self._date(child.birth, labels, shift=False)
                age_text = str(age) if r() < 0.4 else ""
            values = {
                **common,
                "sought_given_name": given,
                "sought_family_name": family_name,
                "sought_other_names": other,
                "sought_sex": child.sex,
                "sought_date_of_birth": birth,
                "sought_age_at_separation": age_text,
            }
            self._other_fields(values, _REQUEST_NOISE_KEYS, labels)
            rows.append(_Row(values, labels, family.number, child=child, request=number))
        self.requests.append(rows)

    def _requests(self, family: _Family) -> None:
        r = self.r
        if r() >= self.noise.request_rate:
            return
        relationship = _RELATIVE_NAMES[bisect(_RELATIVE_CUM, r() * _RELATIVE_CUM[-1])]
        self._request(family, self._sought(family), relationship)
        if relationship in ("father", "mother") and r() < self.noise.second_parent_rate:
            other = "mother" if relationship == "father" else "father"
            self._request(family, self._sought(family), other)

    def _sought(self, family: _Family) -> list[_Child]:
        children = family.children
        if len(children) == 1 or self.r() < self.noise.all_siblings_rate:
            return list(children)
        return self.rng.sample(children, self._between(1, len(children) - 1))

    # -- the whole data set --

    def run(self, n_children: int) -> SyntheticData:
        r = self.r
        while len(self.children) < n_children:
            family = self._family()
            batch = [family]
            if r() < self.noise.cousin_rate:
                batch.append(self._cousin(family))
            for member in batch:
                for child in member.children:
                    if len(self.children) < n_children and r() >= self.noise.unregistered_rate:
                        self._register(member, child)
                self._requests(member)
        return self._assemble()

    def _assemble(self) -> SyntheticData:
        rng = self.rng
        order = list(range(len(self.children)))
        rng.shuffle(order)
        child_ids = [""] * len(order)
        children: list[dict[str, str]] = []
        data = SyntheticData(children=children, requests=[], truth=set(), cousins=self.cousins)
        for position, index in enumerate(order):
            row = self.children[index]
            child_id = f"C{position + 1:06d}"
            child_ids[index] = child_id
            row.values["child_id"] = child_id
            children.append(row.values)
            data.child_labels[child_id] = frozenset(row.labels)
            data.child_family[child_id] = row.family
        rng.shuffle(self.requests)
        for position, rows in enumerate(self.requests):
            request_id = f"R{position + 1:06d}"
            for row in rows:
                row.values["request_id"] = request_id
                data.requests.append(row.values)
                data.request_labels.append(frozenset(row.labels))
                data.request_family[request_id] = row.family
                sought = ""
                if row.child is not None and row.child.registered:
                    sought = child_ids[row.child.row]
                    pair = (request_id, sought)
                    data.truth.add(pair)
                    child_row = self.children[row.child.row]
                    tradition = self.families[row.family].tradition.name
                    data.truth_labels[pair] = frozenset(
                        [*row.labels, *child_row.labels, f"tradition:{tradition}"]
                    )
                data.sought_child.append(sought)
        return data


# Fields that noise may empty come after the four name fields noise may mistype.
_CHILD_NOISE_KEYS = (
    "given_name",
    "family_name",
    "father_name",
    "mother_name",
    "father_name",
    "mother_name",
    "sex",
    "language",
    "nationality",
)
_REQUEST_NOISE_KEYS = (
    "sought_given_name",
    "sought_family_name",
    "father_name",
    "mother_name",
    "father_name",
    "mother_name",
    "sought_sex",
    "language",
    "nationality",
)


def _feminine(surname: str) -> str:
    """Russian-style surnames agree with a girl's or woman's sex (Ivanov -> Ivanova)."""
    for ending, feminine in (("skyi", "ska"), ("skiy", "skaya"), ("sky", "skaya")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + feminine
    if surname.endswith(("ov", "ev", "in", "ow")):
        return surname + "a"
    return surname


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
