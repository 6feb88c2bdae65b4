"""Countries, cities, languages and fictional names for generated creators.

Names are drawn from several naming cultures and combined at random, so a display name is a
plausible but invented person. Cities are real places (public geography, not personal data).
The tables are plain text so they stay compact and easy to extend.
"""

from __future__ import annotations

# code, share weight, language, English short name
_COUNTRIES = """
US 30 en USA
GB 12 en UK
CA 6 en Canada
AU 5 en Australia
IE 2 en Ireland
IN 7 en India
DE 5 de Germany
AT 1 de Austria
FR 4 fr France
BE 1 nl Belgium
ES 4 es Spain
MX 3 es Mexico
AR 1 es Argentina
IT 3 it Italy
NL 3 nl Netherlands
SE 2 sv Sweden
BR 5 pt Brazil
PT 2 pt Portugal
PL 2 pl Poland
JP 2 ja Japan
"""

# code: cities (a code may continue on further lines)
_CITIES = """
US: New York, Los Angeles, Austin, Chicago, Portland, Denver, Nashville, Seattle, Miami,
US: Atlanta, San Diego, Minneapolis, Philadelphia, Boston
GB: London, Manchester, Bristol, Leeds, Glasgow, Edinburgh, Brighton, Cardiff, Sheffield,
GB: Newcastle
CA: Toronto, Vancouver, Montréal, Calgary, Ottawa, Halifax, Québec City
AU: Sydney, Melbourne, Brisbane, Perth, Adelaide, Hobart
IE: Dublin, Cork, Galway, Limerick
IN: Mumbai, Bengaluru, Delhi, Pune, Hyderabad, Chennai, Kolkata, Jaipur
DE: Berlin, Hamburg, München, Köln, Leipzig, Frankfurt, Stuttgart, Freiburg
AT: Wien, Graz, Salzburg, Innsbruck
FR: Paris, Lyon, Marseille, Bordeaux, Nantes, Lille, Toulouse, Montpellier
BE: Antwerpen, Gent, Brussel, Liège, Leuven
ES: Madrid, Barcelona, Valencia, Sevilla, Bilbao, Málaga, Zaragoza
MX: Ciudad de México, Guadalajara, Monterrey, Puebla, Mérida, Oaxaca
AR: Buenos Aires, Córdoba, Rosario, Mendoza
IT: Milano, Roma, Torino, Bologna, Napoli, Firenze, Verona
NL: Amsterdam, Rotterdam, Utrecht, Den Haag, Eindhoven, Groningen
SE: Stockholm, Göteborg, Malmö, Uppsala
BR: São Paulo, Rio de Janeiro, Belo Horizonte, Curitiba, Porto Alegre, Recife, Florianópolis
PT: Lisboa, Porto, Braga, Coimbra, Faro
PL: Warszawa, Kraków, Wrocław, Gdańsk, Poznań
JP: Tokyo, Osaka, Kyoto, Fukuoka, Sapporo, Yokohama
"""

# code: naming cultures with their share among the country's creators
_CULTURES = """
US: anglo 50, hispanic 20, eastasian 10, westafrican 8, southasian 7, irish 5
GB: anglo 64, southasian 12, westafrican 8, irish 6, eastasian 5, polish 5
IE: irish 70, anglo 20, polish 10
CA: anglo 55, eastasian 14, southasian 12, french 14, hispanic 5
AU: anglo 70, eastasian 15, southasian 8, irish 7
IN: southasian 1
DE: german 80, turkish 12, polish 8
AT: german 90, turkish 10
FR: french 82, maghreb 15, westafrican 3
BE: dutch 50, french 40, maghreb 10
ES: hispanic 1
MX: hispanic 1
AR: hispanic 1
IT: italian 1
NL: dutch 85, turkish 10, maghreb 5
SE: nordic 1
BR: lusophone 1
PT: lusophone 1
PL: polish 1
JP: japanese 1
"""

# culture and f (female first names), m (male first names) or l (family names)
_NAMES = """
anglo f: Emma, Olivia, Chloe, Hannah, Grace, Lily, Sophie, Megan, Abigail, Ruby, Ella, Holly,
anglo f: Madison, Harper, Jess, Amber, Zoe, Lauren, Kate, Georgia, Bethany, Maisie, Tessa,
anglo f: Willow
anglo m: James, Oliver, Jack, Harry, Ethan, Noah, Liam, Lucas, Owen, Callum, Ryan, Ben, Tom,
anglo m: Jake, Max, Sam, Charlie, Luke, Dylan, Nathan, Rhys, Alfie, Toby, Miles
anglo l: Carter, Bennett, Hughes, Fletcher, Walsh, Turner, Parker, Brooks, Hayes, Ellis,
anglo l: Marsh, Holloway, Whitaker, Foster, Lawson, Pryce, Ashby, Sutton, Ward, Grant,
anglo l: Reeves, Mercer, Kendall, Thorne, Pemberton, Lockwood, Harlow, Sinclair
irish f: Aoife, Niamh, Siobhán, Ciara, Saoirse, Orla, Róisín, Clodagh, Méabh
irish m: Cian, Oisín, Darragh, Ronan, Eoin, Seán, Fionn, Cathal, Tadhg
irish l: Byrne, Kavanagh, Quinn, Gallagher, Doherty, Brennan, Kelleher, Flanagan, Duffy,
irish l: Nolan, Lynch, Moran
hispanic f: Lucía, Sofía, Valentina, Camila, Martina, Paula, Daniela, Ximena, Carmen, Alba,
hispanic f: Renata, Marisol, Itzel, Catalina, Jimena, Noelia
hispanic m: Mateo, Diego, Santiago, Alejandro, Javier, Pablo, Andrés, Iker, Emiliano, Rodrigo,
hispanic m: Hugo, Tomás, Joaquín, Bruno, Gael, Nicolás
hispanic l: García, Morales, Ortega, Navarro, Romero, Castillo, Herrera, Vega, Delgado, Ruiz,
hispanic l: Fuentes, Serrano, Rojas, Medina, Guerrero, Cárdenas, Salinas, Ibarra, Quiroga,
hispanic l: Aguilar
german f: Lena, Leonie, Johanna, Marie, Clara, Greta, Paula, Frieda, Mia, Katharina, Anja,
german f: Svenja, Carla, Ronja
german m: Jonas, Felix, Lukas, Paul, Moritz, Jan, Tobias, Niklas, Florian, Maximilian, Leon,
german m: Matthias, Jannik, Till
german l: Becker, Hoffmann, Schäfer, Wagner, Krüger, Neumann, Lehmann, Braun, Vogel, Hartmann,
german l: Keller, Sommer, Winkler, Brandt, Lorenz, Kühn
turkish f: Elif, Zeynep, Ayşe, Merve, Defne, Selin, Ece
turkish m: Emre, Can, Mehmet, Deniz, Burak, Kerem, Onur
turkish l: Yılmaz, Demir, Kaya, Aydın, Çelik, Arslan, Koç, Şahin
french f: Camille, Léa, Manon, Chloé, Inès, Juliette, Clémence, Margaux, Élodie, Anaïs,
french f: Solène, Maëlle
french m: Hugo, Louis, Théo, Antoine, Julien, Maxime, Bastien, Mathis, Arthur, Quentin,
french m: Gaspard, Émile
french l: Lefèvre, Moreau, Girard, Fournier, Mercier, Dubois, Lambert, Rousseau, Garnier,
french l: Chevalier, Faure, Perrin, Tremblay, Gagnon, Bouchard
maghreb f: Yasmine, Leïla, Nour, Amira, Sarah, Salma, Imane
maghreb m: Karim, Mehdi, Rayan, Nassim, Ilyes, Sofiane, Yanis
maghreb l: Benali, Haddad, Mansouri, Bouzid, Cherif, Amrani, Belkacem
italian f: Giulia, Francesca, Chiara, Martina, Alessia, Sara, Elena, Beatrice, Ginevra, Aurora,
italian f: Noemi, Ilaria
italian m: Lorenzo, Matteo, Alessandro, Davide, Luca, Gabriele, Tommaso, Riccardo, Federico,
italian m: Pietro, Edoardo, Simone
italian l: Rossi, Bianchi, Esposito, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo,
italian l: Conti, De Luca, Mancini, Lombardi, Moretti, Fontana
dutch f: Sanne, Lotte, Fleur, Anouk, Femke, Iris, Noor, Lieke, Eva, Roos, Jasmijn, Marit
dutch m: Daan, Sem, Thijs, Bram, Lars, Ruben, Jesse, Stijn, Joris, Pieter, Wouter, Sven
dutch l: de Vries, Jansen, Bakker, Visser, Smit, Meijer, de Boer, Mulder, Bos, Vos, Peeters,
dutch l: Hendriks, van Dijk, Dekker, Claes, Wouters
nordic f: Elsa, Maja, Astrid, Linnea, Ebba, Saga, Wilma, Freja, Ingrid, Alva
nordic m: Erik, Oskar, Axel, Nils, Viktor, Elias, Gustav, Anton, Olle, Isak
nordic l: Lindqvist, Berg, Sandberg, Holm, Nyström, Ekström, Lund, Bergström, Dahl, Forsberg,
nordic l: Sjöberg, Åberg
lusophone f: Beatriz, Mariana, Ana, Inês, Larissa, Juliana, Gabriela, Carolina, Letícia, Rafaela,
lusophone f: Camila, Bianca, Yasmin
lusophone m: João, Pedro, Gustavo, Rafael, Tiago, Lucas, Bruno, Thiago, Miguel, Rodrigo, Caio,
lusophone m: Vinícius, Duarte
lusophone l: Silva, Santos, Oliveira, Souza, Costa, Pereira, Almeida, Ferreira, Carvalho,
lusophone l: Ribeiro, Rocha, Barbosa, Nogueira, Teixeira, Moura
polish f: Zofia, Julia, Maja, Aleksandra, Natalia, Wiktoria, Kinga, Agnieszka, Magda, Ola,
polish f: Marta
polish m: Jakub, Kacper, Mateusz, Piotr, Michał, Szymon, Bartek, Tomasz, Kuba, Wojciech, Filip
polish l: Nowak, Wójcik, Kowalczyk, Woźniak, Mazur, Krawczyk, Zając, Król, Wieczorek, Pawlak,
polish l: Michalak, Sikora, Baran
southasian f: Priya, Ananya, Kavya, Isha, Meera, Riya, Aditi, Sneha, Neha, Tanvi, Diya, Nandini,
southasian f: Aisha
southasian m: Arjun, Rohan, Vikram, Aditya, Karan, Siddharth, Rahul, Nikhil, Aarav, Dev, Kabir,
southasian m: Ishaan, Imran
southasian l: Sharma, Iyer, Nair, Menon, Reddy, Patel, Gupta, Desai, Kulkarni, Bose, Rao,
southasian l: Chatterjee, Joshi, Pillai, Mehta, Qureshi
japanese f: Yui, Haruka, Aoi, Sakura, Mio, Rin, Hina, Yuna, Emi, Nanami
japanese m: Haruto, Sota, Ren, Yuto, Kaito, Daiki, Riku, Takumi, Kenta, Shun
japanese l: Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Nakamura, Kobayashi, Yamamoto, Kato,
japanese l: Yoshida, Yamada, Mori, Ishikawa
westafrican f: Adaeze, Chiamaka, Amara, Ifeoma, Folake, Ama, Zainab, Efua, Temi
westafrican m: Chinedu, Tunde, Kwame, Emeka, Kofi, Obinna, Femi, Yaw, Segun
westafrican l: Okafor, Adeyemi, Mensah, Eze, Okonkwo, Boateng, Balogun, Owusu, Asante, Nwosu
eastasian f: Mei, Jenny, Hana, Linh, Min-ji, Vivian, Jia, Thao, Soo-ah
eastasian m: Kevin, Daniel, Minh, Jun, Wei, Andy, Hiro, Jae, Bao
eastasian l: Chen, Nguyen, Kim, Park, Tran, Wong, Liu, Huang, Lee, Lim, Pham, Cho
"""


def _rows(table: str) -> list[tuple[str, list[str]]]:
    """``key: a, b, c`` lines as (key, [a, b, c])."""
    rows = []
    for line in table.strip().splitlines():
        key, _, rest = line.partition(":")
        rows.append((key.strip(), [part.strip() for part in rest.split(",") if part.strip()]))
    return rows


# country code -> (weight, English name, cities)
COUNTRIES: dict[str, tuple[float, str, tuple[str, ...]]] = {}
# language spoken by default in each country (ISO 639-1)
COUNTRY_LANGUAGE: dict[str, str] = {}
_cities: dict[str, list[str]] = {}
for _key, _values in _rows(_CITIES):
    _cities.setdefault(_key, []).extend(_values)
for _line in _COUNTRIES.strip().splitlines():
    _code, _weight, _lang, _name = _line.split()
    COUNTRIES[_code] = (float(_weight), _name, tuple(_cities[_code]))
    COUNTRY_LANGUAGE[_code] = _lang

# naming cultures per country: (culture, weight)
COUNTRY_CULTURES: dict[str, tuple[tuple[str, float], ...]] = {
    _key: tuple((v.split()[0], float(v.split()[1])) for v in _values)
    for _key, _values in _rows(_CULTURES)
}

# cultures whose speakers in a bilingual country use another language than the default
CULTURE_LANGUAGE_OVERRIDE: dict[tuple[str, str], str] = {
    ("CA", "french"): "fr",
    ("BE", "french"): "fr",
    ("BE", "maghreb"): "fr",
}

# culture -> (female first names, male first names, family names)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
_names: dict[str, dict[str, list[str]]] = {}
for _key, _values in _rows(_NAMES):
    _culture, _kind = _key.split()
    _names.setdefault(_culture, {"f": [], "m": [], "l": []})[_kind].extend(_values)
for _culture, _parts in _names.items():
    NAMES[_culture] = (tuple(_parts["f"]), tuple(_parts["m"]), tuple(_parts["l"]))
