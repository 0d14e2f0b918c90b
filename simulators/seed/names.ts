/**
 * Invented names and contact details. Forenames and surnames are common ones drawn at random,
 * so any combination is fictitious; e-mail domains end in `.example` (reserved, RFC 2606) and
 * telephone numbers are in Ofcom's ranges reserved for drama, so none can reach anyone.
 */
import type { Rng } from './random';

/** A word list kept as one string, so it stays compact. */
function words(list: string): readonly string[] {
  return list.split(' ').filter((w) => w.length > 0);
}

export type NameGroup =
  'british' | 'south-asian' | 'african' | 'middle-eastern' | 'eastern-european';

const BOYS: Record<NameGroup, readonly string[]> = {
  british: words(
    'Jack Oliver Harry George Noah Charlie Jacob Alfie Freddie Oscar Leo Logan Archie Theo ' +
      'Thomas James Joshua Lucas William Max Riley Mason Ethan Dylan Tyler Kai Liam Callum ' +
      'Connor Kyle Jayden Lewis Daniel Ryan Samuel Benjamin Alexander Joseph Finley Harvey ' +
      'Reggie Tommy Ronnie Bobby Frankie Jake Luke Adam Nathan Michael Christopher Matthew ' +
      'Aaron Jamie Owen Rhys Louie Ollie',
  ),
  'south-asian': words(
    'Mohammed Ayaan Zain Ibrahim Yusuf Arjun Rohan Aarav Hamza Imran Rayan Kabir Vikram ' +
      'Omar Ali',
  ),
  african: words(
    'Kwame Tobi Emeka Kofi Daniel Samuel David Tariq Abdi Yonas Dawit Ahmed Musa Tendai ' +
      'Chidi Isaac Elijah',
  ),
  'middle-eastern': words(
    'Ahmad Mohammad Ali Hassan Hussain Reza Omid Karim Sami Rahim Bilal Jamal Farid Nasir ' +
      'Zaki Aryan Hamid Dara Rebin Soran',
  ),
  'eastern-european': words(
    'Jakub Mateusz Filip Andrei Luka Marek Tomas Arben Erion Klevi Dominik Adrian Nikola ' +
      'Ionut',
  ),
};

const GIRLS: Record<NameGroup, readonly string[]> = {
  british: words(
    'Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence ' +
      'Emily Ella Poppy Evie Elsie Charlotte Ruby Daisy Sienna Millie Lacey Chloe Megan ' +
      'Jessica Holly Paige Courtney Shannon Jade Leah Caitlin Abbie Ellie Lucy Hannah Katie ' +
      'Summer Skye Maisie Harper Phoebe Scarlett Matilda Erin Molly Georgia Brooke Amber ' +
      'Niamh Keira Tilly Layla Eva Bella',
  ),
  'south-asian': words(
    'Aisha Fatima Zara Maryam Anaya Priya Inaya Amira Sana Hana Noor Aaliyah Simran Riya',
  ),
  african: words(
    'Amara Zainab Chiamaka Esther Blessing Grace Favour Ayan Hodan Selam Mercy Adaeze Nia ' +
      'Precious',
  ),
  'middle-eastern': words(
    'Maryam Zahra Fatemeh Leila Nadia Shirin Rana Yasmin Layla Nasrin Sara Rojin Dilan',
  ),
  'eastern-european': words(
    'Zuzanna Julia Natalia Alexandra Ana Elena Kristina Ardita Elira Klea Maja Ioana',
  ),
};

const SURNAMES: Record<NameGroup, readonly string[]> = {
  british: words(
    'Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson ' +
      'Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel ' +
      'Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison ' +
      'Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths ' +
      'Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox ' +
      'Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster ' +
      'Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer ' +
      'Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray ' +
      'Dixon Harvey Gallagher Doyle McCarthy Quinn Byrne Reilly Duffy Kennedy Connolly Hayes ' +
      'Molyneux Rimmer Fazakerley Ashcroft Almond Sephton Birchall',
  ),
  'south-asian': words(
    'Khan Ahmed Hussain Ali Patel Begum Rahman Iqbal Shah Akhtar Mahmood Sharma Kaur Singh ' +
      'Chowdhury Islam',
  ),
  african: words(
    'Okafor Mensah Adeyemi Okonkwo Asante Osei Mohamed Abdi Tesfaye Haile Bekele Mwangi ' +
      'Nkosi Eze Adebayo Yusuf Ibrahim Gebremedhin',
  ),
  'middle-eastern': words(
    'Ahmadi Hosseini Rahimi Mohammadi Karimi Rezaei Haidari Noori Amiri Sultani Mahmoud ' +
      'Salih Aziz Kareem Rashid Abdullah',
  ),
  'eastern-european': words(
    'Nowak Kowalski Wiśniewski Popescu Ionescu Hoxha Krasniqi Gashi Novak Horvath Kovacs ' +
      'Petrov Shehu Dvořák',
  ),
};

/** Forename shortenings for PREFERRED_NAME. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Alexander: 'Alex',
  Benjamin: 'Ben',
  Christopher: 'Chris',
  Daniel: 'Dan',
  Joshua: 'Josh',
  Matthew: 'Matty',
  Michael: 'Mikey',
  Samuel: 'Sam',
  Thomas: 'Tom',
  William: 'Billy',
  Joseph: 'Joe',
  Nathan: 'Nate',
  Frederick: 'Freddie',
  Charlotte: 'Lottie',
  Isabella: 'Bella',
  Jessica: 'Jess',
  Alexandra: 'Lexi',
  Amelia: 'Millie',
  Florence: 'Flo',
  Matilda: 'Tilly',
  Elizabeth: 'Lizzie',
  Mohammed: 'Mo',
  Mohammad: 'Mo',
  Ibrahim: 'Ibby',
  Georgia: 'George',
  Natalia: 'Nat',
  Katie: 'Kate',
  Gabriella: 'Gabby',
  Olivia: 'Liv',
  Sophia: 'Sophie',
};

export function forename(rng: Rng, sex: 'M' | 'F', group: NameGroup = 'british'): string {
  return rng.pick(sex === 'M' ? BOYS[group] : GIRLS[group]);
}

export function surname(rng: Rng, group: NameGroup = 'british'): string {
  return rng.pick(SURNAMES[group]);
}

/** A preferred name for some children: a short form of the forename, or a middle name used instead. */
export function preferredName(rng: Rng, first: string, sex: 'M' | 'F'): string | null {
  const short = SHORT_FORMS[first];
  if (short && rng.chance(0.6)) return short;
  if (rng.chance(0.1)) return forename(rng, sex);
  return null;
}

/** Adult staff forenames (older generation). */
const ADULT_MEN = words(
  'David Paul Mark Andrew Richard Stephen Simon Peter Gary Neil Ian Martin Jonathan Craig ' +
    'Graham Anthony Kevin Sean Robert Colin Lee Darren Wayne Imran Rajesh Tunde Kieran ' +
    'Gareth',
);
const ADULT_WOMEN = words(
  'Sarah Claire Emma Rachel Helen Nicola Joanne Lisa Karen Julie Louise Gemma Laura ' +
    'Michelle Kate Rebecca Victoria Catherine Angela Deborah Samantha Lindsey Natalie ' +
    'Amanda Jennifer Shabana Priya Yvonne Siobhan Carol Tracey Fiona',
);

export interface PersonName {
  title: string;
  forename: string;
  surname: string;
  sex: 'M' | 'F';
}

export function adultName(rng: Rng): PersonName {
  const sex: 'M' | 'F' = rng.chance(0.7) ? 'F' : 'M';
  const first = rng.pick(sex === 'M' ? ADULT_MEN : ADULT_WOMEN);
  const last = rng.chance(0.9) ? surname(rng) : surname(rng, rng.pick(NAME_GROUPS_NON_BRITISH));
  const title = rng.chance(0.05)
    ? 'Dr'
    : sex === 'M'
      ? 'Mr'
      : rng.pick(['Mrs', 'Mrs', 'Ms', 'Ms', 'Miss']);
  return { title, forename: first, surname: last, sex };
}

const NAME_GROUPS_NON_BRITISH: readonly NameGroup[] = [
  'south-asian',
  'african',
  'middle-eastern',
  'eastern-european',
];

/** Name group matching a 903 ethnicity code, for believable names. */
export function nameGroupFor(ethnic: string, rng: Rng): NameGroup {
  switch (ethnic) {
    case 'AIND':
    case 'APKN':
    case 'ABAN':
      return 'south-asian';
    case 'AOTH':
      return rng.chance(0.6) ? 'middle-eastern' : 'south-asian';
    case 'BAFR':
    case 'BOTH':
      return 'african';
    case 'OOTH':
    case 'REFU':
      return rng.chance(0.7) ? 'middle-eastern' : 'african';
    case 'WOTH':
    case 'WROM':
      return rng.chance(0.6) ? 'eastern-european' : 'british';
    case 'MWBA':
      return rng.chance(0.3) ? 'african' : 'british';
    case 'MWAS':
      return rng.chance(0.3) ? 'south-asian' : 'british';
    default:
      return 'british';
  }
}

/** ASCII, lower case, for e-mail local parts. */
export function emailPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** A number in Ofcom's drama range for Liverpool (0151 496 0000-0999). */
export function landline(rng: Rng): string {
  return `0151 496 0${String(rng.int(0, 999)).padStart(3, '0')}`;
}

/** A number in Ofcom's drama range for Manchester (0161 496 0000-0999), for providers. */
export function providerLandline(rng: Rng): string {
  return `0161 496 0${String(rng.int(0, 999)).padStart(3, '0')}`;
}

/** A mobile number in Ofcom's drama range (07700 900000-900999). */
export function mobile(rng: Rng): string {
  return `07700 900${String(rng.int(0, 999)).padStart(3, '0')}`;
}

const STREET_FIRST = words(
  'Oak Ash Elm Birch Hawthorn Holly Willow Rowan Maple Beech Cedar Laurel Poplar Chestnut ' +
    'Larch Alder Hazel Juniper Heather Meadow Orchard Mill Church Station Park Field Brook ' +
    'Moss Valley Hillside Primrose Bluebell Foxglove Kingfisher Swallow Wren Linnet',
);
const STREET_KIND = [
  'Road',
  'Lane',
  'Close',
  'Avenue',
  'Grove',
  'Drive',
  'Way',
  'Crescent',
  'Street',
  'Walk',
];

export function streetAddress(rng: Rng): string {
  return `${rng.int(1, 180)} ${rng.pick(STREET_FIRST)} ${rng.pick(STREET_KIND)}`;
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Full postcode from a partial one ("L36 4" -> "L36 4AB"). */
export function fullPostcode(rng: Rng, partial: string): string {
  return `${partial}${INWARD_LETTERS[rng.int(0, INWARD_LETTERS.length - 1)]}${
    INWARD_LETTERS[rng.int(0, INWARD_LETTERS.length - 1)]
  }`;
}

const PLACE_WORDS_A = words(
  'Oak Ash Elm Birch Brook Mill Moss Green Holly Fern Thorn Hazel Willow Rowan Stone Clay ' +
    'Kings Queens North South East West High Bright Fair Long Broad Red Black White Cherry ' +
    'Apple Pine Lark Wren Swan Heron Beacon Castle Abbey Bridge Church Golden Silver Meadow ' +
    'Heath Marsh Rose Lily Cedar Bank Grange Rook Falcon Wood Spring Well Sandy Bramble ' +
    'Heather Orchard Sun Star Moor Dale Glen Linden Alder Beech Chestnut',
);
const PLACE_WORDS_B = [
  'field',
  'wood',
  'brook',
  'side',
  'vale',
  'croft',
  'lands',
  'bank',
  'hill',
  'mead',
  'ley',
  'ford',
  'bridge',
  'gate',
  'well',
  'dene',
  'hurst',
  'holme',
  'thorpe',
  'worth',
  'stead',
  'wick',
  'combe',
  'moor',
  'dale',
  'view',
  'park',
  'green',
  'lea',
  'ridge',
  'haven',
  'fold',
  'garth',
  'wood Park',
  'field Park',
  'brook Park',
  'lands Park',
  'hill Park',
];

/** An invented place-like name, e.g. "Oakfield", "Hazelbrook Park". */
export function placeName(rng: Rng): string {
  return `${rng.pick(PLACE_WORDS_A)}${rng.pick(PLACE_WORDS_B)}`;
}

const SAINTS = words(
  'Mary Joseph Anne Patrick John Peter Paul Michael Margaret Teresa Bernadette Aidan ' +
    'Columba Andrew Luke Mark Gregory Thomas Bede Francis Clare Oswald Edmund Brigid Kevin ' +
    'Dominic Vincent Helen',
);
export function saintName(rng: Rng): string {
  return rng.pick(SAINTS);
}
