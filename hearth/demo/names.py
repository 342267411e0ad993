"""Invented names for the synthetic council, drawn to suit a family's background.

Faker en_GB's first names are mostly those of people born before 1980 and its surnames almost
all British, so a city's children would all look like their grandparents. These small lists
(popular names in England and Wales since the 1980s, and common names in the communities of an
East Midlands city) fill the gap. No list here is anyone's record; the combinations are random.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from hearth.people.codes import Ethnicity

# Children known to children's services, by ethnicity, roughly as Nottingham's 0-17 population
# (Census 2021): White British just over half, then Black African, Pakistani, other White.
ETHNICITY_WEIGHTS: dict[str, float] = {
    Ethnicity.WBRI: 55.0, Ethnicity.WIRI: 0.4, Ethnicity.WIRT: 0.3, Ethnicity.WROM: 0.6, Ethnicity.WOTH: 6.0,
    Ethnicity.MWBC: 4.5, Ethnicity.MWBA: 1.8, Ethnicity.MWAS: 2.0, Ethnicity.MOTH: 2.5,
    Ethnicity.AIND: 2.0, Ethnicity.APKN: 6.5, Ethnicity.ABAN: 0.6, Ethnicity.AOTH: 2.2,
    Ethnicity.BCRB: 2.0, Ethnicity.BAFR: 7.5, Ethnicity.BOTH: 1.4,
    Ethnicity.CHNE: 0.8, Ethnicity.OOTH: 3.5, Ethnicity.REFU: 0.4,
}

# A mixed-heritage child's parents: (one parent, the other).
MIXED_PARENTS: dict[str, list[tuple[str, str]]] = {
    Ethnicity.MWBC: [(Ethnicity.WBRI, Ethnicity.BCRB)],
    Ethnicity.MWBA: [(Ethnicity.WBRI, Ethnicity.BAFR)],
    Ethnicity.MWAS: [(Ethnicity.WBRI, Ethnicity.APKN), (Ethnicity.WBRI, Ethnicity.AIND)],
    Ethnicity.MOTH: [(Ethnicity.WBRI, Ethnicity.OOTH), (Ethnicity.WOTH, Ethnicity.BAFR),
                     (Ethnicity.BCRB, Ethnicity.AIND), (Ethnicity.WBRI, Ethnicity.CHNE)],
}


@dataclass(frozen=True)
class NamePool:
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    surnames: tuple[str, ...]
    language: str = "English"
    religion: tuple[str, ...] = ("", "", "Christian", "No religion")


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BRITISH_BOYS = _t(
    "Oliver George Harry Noah Jack Leo Arthur Oscar Charlie Jacob Thomas Henry William Freddie Alfie Theo "
    "Archie Joshua James Ethan Samuel Daniel Joseph Max Logan Lucas Isaac Mason Riley Dylan Tyler Kyle Callum "
    "Connor Liam Jordan Ryan Luke Lewis Owen Jake Benjamin Matthew Alexander Christopher Nathan Kieran Reece "
    "Bradley Jamie Harvey Louie Toby Finley Reggie Teddy Albie Jaxon Tommy Frankie Ronnie Jayden Kai Jenson "
    "Bobby Michael Robert Edward Zachary Frederick Nicholas Jonathan Anthony Richard Charles Theodore Elliot "
    "Mohammed Isaiah Elijah Gabriel Nathaniel Tristan Rory Stanley Alfred Ezra Hugo Jude Harrison Lennon"
)
BRITISH_GIRLS = _t(
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Emily Poppy Ella Evie Charlotte Jessica "
    "Sophie Chloe Ruby Lucy Megan Holly Millie Katie Hannah Lauren Ellie Amy Courtney Paige Shannon Leah Jade "
    "Bethany Abigail Eleanor Daisy Scarlett Willow Rosie Phoebe Harper Erin Evelyn Matilda Elsie Florence Layla "
    "Maisie Summer Molly Katherine Elizabeth Rebecca Samantha Victoria Alexandra Natalie Jennifer Georgia "
    "Danielle Stephanie Nicole Kayleigh Keeley Demi Tegan Caitlin Aimee Libby Lexi Harriet Imogen Esme Aria "
    "Luna Ada Mila Sienna Thea Violet Josephine Gabriella Isabelle Catherine Margaret Jasmine Alice Niamh"
)
# Parents' generation: born roughly 1975-2005.
PARENT_MEN = _t(
    "Daniel Thomas James Christopher Matthew David Michael Andrew Ryan Jamie Lee Mark Craig Dean Scott Wayne "
    "Jason Paul Carl Darren Liam Adam Luke Ashley Kieran Jordan Joshua Samuel Nathan Robert Richard Stephen "
    "Gary Shaun Jonathan Anthony Aaron Callum Bradley Kyle Jake Reece Connor Joseph Benjamin William"
)
PARENT_WOMEN = _t(
    "Jessica Lauren Sophie Chloe Emma Hannah Rebecca Charlotte Amy Laura Sarah Gemma Kirsty Stacey Danielle "
    "Kelly Lisa Nicola Claire Samantha Michelle Leanne Jade Natalie Hayley Zoe Katie Victoria Kerry Emily "
    "Megan Shannon Courtney Paige Bethany Jodie Kayleigh Amber Abbie Holly Naomi Katherine Elizabeth Jennifer"
)

POOLS: dict[str, NamePool] = {
    "irish": NamePool(
        boys=_t("Sean Ciaran Conor Declan Padraig Eoin Cian Liam Niall Ronan Patrick Michael Aidan Kevin"),
        girls=_t("Niamh Aoife Siobhan Roisin Orla Ciara Sinead Caoimhe Grainne Maeve Bridget Mary Nora"),
        surnames=_t("Murphy Kelly O'Brien Byrne Ryan O'Sullivan Walsh O'Connor McCarthy Doyle Kennedy Lynch "
                    "Gallagher Brennan Quinn Flanagan"),
        religion=("Christian", "Christian", "No religion", ""),
    ),
    "traveller": NamePool(
        boys=_t("Patrick Michael John Martin Thomas Johnny Christopher Jimmy Joseph Edward"),
        girls=_t("Mary Bridget Margaret Kathleen Nora Ellen Josie Winnie Chantelle Shannon"),
        surnames=_t("Ward McDonagh Connors Joyce McDonnell Maughan Doherty Stokes Quinn Cash Collins Purcell"),
        religion=("Christian", "Christian", ""),
    ),
    "polish": NamePool(
        boys=_t("Jakub Kacper Szymon Filip Mateusz Dawid Tomasz Piotr Marek Adrian Krzysztof Pawel Aleksander "
                "Lukas Matas Andrei Mihai Darius Bogdan"),
        girls=_t("Zuzanna Julia Maja Lena Hanna Natalia Wiktoria Alicja Oliwia Gabriela Ioana Elena Andreea Ieva "
                 "Kamila Agnieszka Monika Katarzyna Aleksandra"),
        surnames=_t("Nowak Wisniewski Wojcik Kaminski Lewandowski Zielinski Szymanski Popescu Ionescu Popa Stan "
                    "Kazlauskas Jankauskas Petrauskas Horvath Novak Dvorak Balogh Kovacs Mazur"),
        language="Polish",
        religion=("Christian", "Christian", "No religion"),
    ),
    "roma": NamePool(
        boys=_t("Stefan Marian Mario Robert Denis Florin Nicolae Costel Roman Miroslav"),
        girls=_t("Maria Elena Florentina Roxana Mirela Denisa Daniela Ramona Simona Veronika"),
        surnames=_t("Lakatos Balog Kovac Olah Dumitru Stoica Radu Lingurar Gabor Horvat"),
        language="Romanian",
        religion=("Christian", ""),
    ),
    "pakistani": NamePool(
        boys=_t("Mohammed Muhammad Ali Ibrahim Yusuf Hamza Zain Ayaan Adam Umar Bilal Hassan Imran Zakariya "
                "Rayyan Abdullah Ahmed Faisal Tariq Usman Haris Arham Musa"),
        girls=_t("Aisha Ayesha Fatima Maryam Zara Hafsa Khadija Amina Zainab Inaya Hana Safa Sana Noor Iqra "
                 "Mariam Samina Nazia Sadia Alisha Anaya"),
        surnames=_t("Khan Hussain Ahmed Ali Akhtar Iqbal Mahmood Rashid Shah Butt Malik Rehman Aslam Chaudhry "
                    "Javed Mirza Qureshi Sadiq Nawaz Bashir Anwar"),
        language="Urdu",
        religion=("Muslim",),
    ),
    "bangladeshi": NamePool(
        boys=_t("Mohammed Abdul Rahim Sami Tanvir Rayhan Arif Shakil Jamal Yusuf Ibrahim Hamza"),
        girls=_t("Fatima Sumaiya Tasnim Nusrat Ruksana Shirin Farzana Sadia Amina Maryam Habiba"),
        surnames=_t("Miah Uddin Begum Rahman Islam Ahmed Choudhury Hoque Ali Khatun Hossain"),
        language="Bengali",
        religion=("Muslim",),
    ),
    "indian": NamePool(
        boys=_t("Arjun Aarav Rohan Dev Harjeet Gurpreet Jaspal Rajesh Sanjay Vikram Manpreet Ravi Amrit Karan "
                "Nikhil Sukhdev Jasdeep Aryan Krish"),
        girls=_t("Priya Anjali Simran Harpreet Kiran Navdeep Pooja Sunita Reena Amrita Jasleen Meera Nisha "
                 "Divya Anika Saanvi Ishaani"),
        surnames=_t("Patel Singh Sharma Gill Sandhu Sidhu Dhillon Bains Kumar Mistry Parmar Chauhan Joshi Lal "
                    "Bhatti Sahota"),
        language="Punjabi",
        religion=("Sikh", "Hindu", "Hindu", "Sikh", "No religion"),
    ),
    "african": NamePool(
        boys=_t("Chidi Emeka Tunde Oluwaseun Kwame Kofi Abdi Mohamed Yonas Samuel David Daniel Emmanuel "
                "Tendai Tafadzwa Ibrahim Musa Abdirahman Oluwatobi Chinedu Fiifi Tinashe"),
        girls=_t("Amara Chioma Ngozi Adaeze Blessing Precious Faith Grace Hodan Fadumo Mercy Esther Ruth Ayan "
                 "Ifeoma Abena Ama Tsion Selam Rutendo Nkechi Deborah"),
        surnames=_t("Okafor Okonkwo Adeyemi Adebayo Mensah Boateng Asante Abdi Mohamed Hassan Omar Farah "
                    "Tesfaye Gebremedhin Moyo Ncube Nwosu Eze Osei Owusu Kamara Bangura Diallo Chikwanha"),
        language="English",
        religion=("Christian", "Christian", "Muslim", ""),
    ),
    "caribbean": NamePool(
        boys=_t("Marcus Andre Jermaine Tyrone Kai Malachi Jaden Isaiah Elijah Reuben Dwayne Leon Nathaniel "
                "Josiah Tyler Jayden Zion"),
        girls=_t("Shanice Tia Aaliyah Jada Keisha Nia Kezia Tiana Chantelle Imani Sasha Jasmine Naomi Amelia "
                 "Jessica Tanisha"),
        surnames=_t("Campbell Brown Williams Reid Thompson Grant Clarke Francis Henry Edwards Morgan Wright "
                    "Stewart Richards Bailey Gordon Lewis Barrett Forbes McKenzie"),
        religion=("Christian", "Christian", "No religion", ""),
    ),
    "chinese": NamePool(
        boys=_t("Wei Jun Hao Ming Chen Jian Bo Kai Ethan Lucas"),
        girls=_t("Mei Xin Ying Jia Yan Lin Hui Chloe Emily Grace"),
        surnames=_t("Wang Li Zhang Chen Liu Yang Huang Zhao Wu Zhou Lin Wong Cheung Chan Lee"),
        language="Mandarin",
        religion=("No religion", "No religion", "Buddhist", "Christian"),
    ),
    "afghan": NamePool(
        boys=_t("Ahmad Omid Karim Hamid Mustafa Ali Hassan Farid Jawad Naveed Rahmat Sultan"),
        girls=_t("Zahra Maryam Fatema Shirin Leila Sara Parisa Madina Nazanin Freshta"),
        surnames=_t("Ahmadi Rahimi Karimi Hosseini Mohammadi Sultani Popal Stanikzai Haidari Noori Amiri"),
        language="Pashto",
        religion=("Muslim",),
    ),
    "kurdish": NamePool(
        boys=_t("Rebin Hemin Sardar Karwan Reza Amir Yousef Khaled Mahmoud Dilshad Aram Hawkar"),
        girls=_t("Dilan Layla Noor Yasmin Rana Shirin Sara Hana Zhian Avin Rozhan"),
        surnames=_t("Mahmoud Abdullah Rashid Salih Aziz Hamad Qadir Rasul Karim Omar Hamid"),
        language="Kurdish",
        religion=("Muslim", "Muslim", "No religion"),
    ),
    "eritrean": NamePool(
        boys=_t("Yonas Tesfay Dawit Filmon Robel Merhawi Samuel Yosief Kidane Habtom"),
        girls=_t("Selam Tsion Helen Senait Luwam Rahel Yordanos Mehret Saba Winta"),
        surnames=_t("Tesfaye Gebremedhin Haile Berhane Tekle Kidane Woldu Ghebre Mebrahtu Abraha"),
        language="Tigrinya",
        religion=("Christian", "Christian", "Muslim"),
    ),
    "vietnamese": NamePool(
        boys=_t("Minh Duc Quang Tuan Huy Nam Long Khoa"),
        girls=_t("Linh Thu Huong Anh Mai Lan Ngoc Trang"),
        surnames=_t("Nguyen Tran Le Pham Hoang Vu Dang Bui"),
        language="Vietnamese",
        religion=("Buddhist", "No religion", ""),
    ),
    "albanian": NamePool(
        boys=_t("Arben Ermal Klevis Besnik Dritan Erion Kristi Elvis Gentian Florian"),
        girls=_t("Arjola Besa Elira Ana Klea Erjona Jonida Ardita"),
        surnames=_t("Hoxha Shehu Gashi Krasniqi Berisha Dervishi Leka Meta Cela Kola"),
        language="Albanian",
        religion=("Muslim", "No religion", "Christian"),
    ),
}

# Which name pools a family of each ethnicity draws from ("british" means the built-in and Faker lists).
POOLS_FOR: dict[str, tuple[str, ...]] = {
    Ethnicity.WBRI: ("british",), Ethnicity.WIRI: ("irish",), Ethnicity.WIRT: ("traveller",),
    Ethnicity.WROM: ("roma",), Ethnicity.WOTH: ("polish", "polish", "polish", "albanian", "british"),
    Ethnicity.AIND: ("indian",), Ethnicity.APKN: ("pakistani",), Ethnicity.ABAN: ("bangladeshi",),
    Ethnicity.AOTH: ("afghan", "vietnamese", "afghan"), Ethnicity.BCRB: ("caribbean",),
    Ethnicity.BAFR: ("african",), Ethnicity.BOTH: ("caribbean", "african"), Ethnicity.CHNE: ("chinese",),
    Ethnicity.OOTH: ("kurdish", "kurdish", "afghan"), Ethnicity.REFU: ("british",),
}

# Countries an unaccompanied asylum-seeking child arrives from, as (pool, ethnicity code).
UASC_ORIGINS: list[tuple[str, str, float]] = [
    ("afghan", Ethnicity.AOTH, 0.28), ("eritrean", Ethnicity.BAFR, 0.22), ("kurdish", Ethnicity.OOTH, 0.2),
    ("african", Ethnicity.BAFR, 0.12), ("vietnamese", Ethnicity.AOTH, 0.08), ("albanian", Ethnicity.WOTH, 0.1),
]

# Legal first name -> names the child goes by. Used for preferred names and for planted duplicates
# recorded under the name a referrer knew the child by.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Katherine": ("Kate", "Katie", "Kat"), "Catherine": ("Cath", "Kate", "Cathy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Margaret": ("Maggie", "Peggy"), "Rebecca": ("Becky", "Becca"), "Samantha": ("Sam", "Sammie"),
    "Jessica": ("Jess", "Jessie"), "Victoria": ("Vicky", "Tori"), "Alexandra": ("Alex", "Lexi"),
    "Charlotte": ("Lottie", "Charlie"), "Abigail": ("Abbie", "Abby"), "Jennifer": ("Jenny", "Jen"),
    "Natalie": ("Nat",), "Eleanor": ("Ellie", "Nell"), "Isabella": ("Bella", "Izzy"), "Isabelle": ("Izzy", "Belle"),
    "Olivia": ("Liv", "Livvy"), "Amelia": ("Millie", "Mia"), "Emily": ("Em", "Emmy"), "Sophia": ("Sophie",),
    "Gabriella": ("Gabby", "Ella"), "Josephine": ("Jo", "Josie"), "Danielle": ("Dani",), "Stephanie": ("Steph",),
    "Nicole": ("Nicky",), "Harriet": ("Hattie",), "Matilda": ("Tilly", "Tilda"), "Florence": ("Flo", "Florrie"),
    "William": ("Will", "Billy", "Liam"), "Thomas": ("Tom", "Tommy"), "James": ("Jim", "Jimmy", "Jamie"),
    "Robert": ("Rob", "Bobby"), "Richard": ("Rich", "Ricky"), "Michael": ("Mike", "Mikey"),
    "Christopher": ("Chris",), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",), "Joseph": ("Joe", "Joey"),
    "Benjamin": ("Ben", "Benji"), "Samuel": ("Sam", "Sammy"), "Alexander": ("Alex", "Xander"),
    "Nicholas": ("Nick", "Nicky"), "Jonathan": ("Jon", "Jonny"), "Anthony": ("Tony", "Ant"),
    "Edward": ("Ed", "Eddie", "Ted"), "Henry": ("Harry", "Hal"), "Jacob": ("Jake",), "Joshua": ("Josh",),
    "Nathaniel": ("Nate", "Nat"), "Oliver": ("Ollie",), "Charles": ("Charlie",), "Frederick": ("Freddie", "Fred"),
    "Theodore": ("Theo", "Teddy"), "Zachary": ("Zach",), "Alfred": ("Alfie",), "Archibald": ("Archie",),
    "Mohammed": ("Mo", "Moh"), "Muhammad": ("Mo", "Mohd"), "Mohamed": ("Mo",), "Abdullahi": ("Abdi",),
    "Abdirahman": ("Abdi",), "Oluwaseun": ("Seun",), "Oluwatobi": ("Tobi",), "Emmanuel": ("Manny",),
    "Gabriel": ("Gabe",), "Elijah": ("Eli",), "Jakub": ("Kuba",), "Katarzyna": ("Kasia",),
    "Aleksandra": ("Ola",), "Aleksander": ("Olek",), "Zuzanna": ("Zuzia",), "Krzysztof": ("Krzys",),
    "Ibrahim": ("Ibby",), "Zakariya": ("Zak",), "Abdullah": ("Abdul",), "Tafadzwa": ("Taf",),
    "Chinedu": ("Chi",), "Nkechi": ("Kechi",), "Adaeze": ("Ada",), "Ifeoma": ("Ify",),
    "Imogen": ("Immy",), "Jasmine": ("Jas", "Jazz"), "Evelyn": ("Evie",), "Caitlin": ("Cait",),
    "Bethany": ("Beth",), "Megan": ("Meg",), "Rosemary": ("Rosie",), "Nathan": ("Nate",), "Callum": ("Cal",),
    "Harrison": ("Harry",), "Stanley": ("Stan",), "Bradley": ("Brad",), "Tyler": ("Ty",), "Jamie": ("Jay",),
    "Mateusz": ("Mati",), "Szymon": ("Szymek",), "Agnieszka": ("Aga",), "Wiktoria": ("Wiki",), "Alicja": ("Ala",),
    "Gabriela": ("Gabi",), "Natalia": ("Nati",), "Abdul": ("Abdi",), "Fatima": ("Fati",), "Maryam": ("Mimi",),
    "Kwame": ("Kwam",), "Tinashe": ("Tina",), "Rutendo": ("Ru",), "Tanisha": ("Tash",), "Natasha": ("Tash",),
    "Dominic": ("Dom",), "Kimberley": ("Kim",), "Anika": ("Ani",),
}

# Spellings of one name written down differently by different agencies (aliases of UASC young people).
TRANSLITERATIONS: dict[str, str] = {
    "Mohammed": "Mohamed", "Muhammad": "Mohammad", "Mohamed": "Muhammed", "Ahmad": "Ahmed", "Ahmed": "Ahmad",
    "Hassan": "Hasan", "Yusuf": "Yousef", "Yousef": "Yusuf", "Mustafa": "Mostafa", "Omid": "Umid",
    "Hamid": "Hameed", "Karim": "Kareem", "Yonas": "Yonatan", "Dawit": "Dawid", "Abdi": "Abdiy",
}


def same_nickname_group(a: str, b: str) -> bool:
    """Whether two first names could be one child under a legal name and a name they go by."""
    if a == b:
        return True
    return b in NICKNAMES.get(a, ()) or a in NICKNAMES.get(b, ()) or bool(
        set(NICKNAMES.get(a, ())) & set(NICKNAMES.get(b, ()))
    )


class Namer:
    """First and last names for people of a given background and generation."""

    def __init__(self, rng: random.Random, fake: Faker):
        self.rng = rng
        self.fake = fake

    def pool_for(self, ethnicity: str) -> str:
        return self.rng.choice(POOLS_FOR.get(ethnicity, ("british",)))

    def surname(self, pool: str) -> str:
        if pool == "british":
            return str(self.fake.last_name())
        return self.rng.choice(POOLS[pool].surnames)

    def child_first(self, pool: str, sex: str, *, born_here: bool = True) -> str:
        if pool == "british":
            return self.rng.choice(BRITISH_BOYS if sex == "M" else BRITISH_GIRLS)
        names = POOLS[pool].boys if sex == "M" else POOLS[pool].girls
        # Second-generation families often choose names popular in England too.
        if born_here and self.rng.random() < 0.15:
            return self.rng.choice(BRITISH_BOYS if sex == "M" else BRITISH_GIRLS)
        return self.rng.choice(names)

    def adult_first(self, pool: str, sex: str, *, older: bool = False) -> str:
        if pool == "british":
            if older:
                return str(self.fake.first_name_male() if sex == "M" else self.fake.first_name_female())
            return self.rng.choice(PARENT_MEN if sex == "M" else PARENT_WOMEN)
        names = POOLS[pool].boys if sex == "M" else POOLS[pool].girls
        return self.rng.choice(names)

    def middle(self, pool: str, sex: str) -> str:
        return self.child_first(pool, sex) if self.rng.random() < 0.35 else ""

    def language(self, pool: str) -> str:
        if pool == "british":
            return "English"
        language = POOLS[pool].language
        # Most children born here speak English as well; the census records the first language.
        return language if self.rng.random() < 0.6 else "English"

    def religion(self, pool: str) -> str:
        choices = ("", "", "Christian", "No religion") if pool == "british" else POOLS[pool].religion
        return self.rng.choice(choices)


# ------------------------------------------------------------------------------------------ recording slips

def typo(name: str, rng: random.Random) -> str:
    """The name with one slip of the keyboard: two letters swapped, one dropped or one doubled."""
    if len(name) < 3:
        return name + name[-1]
    # The first letter stays: people rarely mistype it, and it is what lists sort by.
    for _ in range(20):
        how = rng.choice(("swap", "drop", "double"))
        i = rng.randrange(1, len(name) - 1)
        if how == "swap" and name[i] != name[i + 1]:
            result = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        elif how == "drop" and len(name) > 3:
            result = name[:i] + name[i + 1:]
        elif how == "double":
            result = name[:i + 1] + name[i] + name[i + 1:]
        else:
            continue
        if result != name:
            return result
    return name[:-1] + name[-1] * 2

