// Generates the sample data sets in samples/ deterministically (seeded PRNG): a word, an English story text and two CSV series.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const SAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
const ENGLISH_TARGET_BYTES = 350_000;
const HOUR_MS = 3_600_000;

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform PRNG (Box-Muller). */
function createGaussian(random) {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

// ---------------------------------------------------------------------------------------------------------------
// English text: a small story grammar. Templates hold {slot} references (to the chapter's cast or to a word pool)
// and [one|two] alternatives; every chapter follows one plot with a fixed cast, place and object.

const PEOPLE = [
  ...[
    'Mara',
    'Elsa',
    'Nora',
    'Ida',
    'Clara',
    'Ruth',
    'Anna',
    'Lena',
    'Greta',
    'Hazel',
    'Iris',
    'Maud',
    'Edith',
    'Alice',
    'Rose',
    'Tess',
    'Vera',
    'June',
    'Molly',
    'Lucy',
  ].map((name) => ({ name, he: 'she', his: 'her', him: 'her' })),
  ...[
    'Tom',
    'Peter',
    'Owen',
    'Jonas',
    'Felix',
    'Hugo',
    'Arthur',
    'Simon',
    'Walter',
    'Henry',
    'Oscar',
    'Leo',
    'Martin',
    'Paul',
    'Victor',
    'Samuel',
    'Edwin',
    'Jack',
    'Albert',
    'Ben',
  ].map((name) => ({ name, he: 'he', his: 'his', him: 'him' })),
];

const POOLS = {
  role: [
    'baker',
    'miller',
    'carpenter',
    'schoolteacher',
    'doctor',
    'sailor',
    'farmer',
    'weaver',
    'blacksmith',
    'potter',
    'shepherd',
    'clockmaker',
    'innkeeper',
    'gardener',
    'bookbinder',
    'painter',
    'beekeeper',
    'lamplighter',
    'ferry keeper',
    'shopkeeper',
  ],
  town: [
    'Ashford',
    'Millbrook',
    'Fenwick',
    'Harrowgate',
    'Stonebridge',
    'Elmstead',
    'Greywater',
    'Larkhill',
    'Westmere',
    'Oakridge',
    'Thornbury',
    'Kestrel Bay',
    'Redcliff',
    'Southwold',
    'Brackenfield',
  ],
  place: [
    'the old mill',
    'the harbour',
    'the market square',
    'the church on the hill',
    'the bakery',
    'the stone bridge',
    'the edge of the forest',
    'the lighthouse',
    'the orchard',
    'the village school',
    'the inn at the crossroads',
    'the river bank',
    'the railway station',
    'the empty barn',
    'the library',
    'the forge',
    'the walled garden',
    'the top of the hill',
    'the fishing huts',
    'the north road',
  ],
  object: [
    'lantern',
    'letter',
    'key',
    'map',
    'basket',
    'compass',
    'notebook',
    'scarf',
    'blanket',
    'umbrella',
    'silver ring',
    'wooden box',
    'pocket watch',
    'little bell',
    'kite',
    'fiddle',
    'photograph',
    'coat',
    'hammer',
    'spectacles',
  ],
  animal: ['dog', 'cat', 'goat', 'horse', 'donkey', 'sheep', 'cow', 'hen', 'rabbit', 'pony'],
  wildAnimal: ['owl', 'fox', 'heron', 'crow', 'hare', 'deer', 'badger', 'robin', 'swan', 'hedgehog'],
  relative: ['sister', 'brother', 'aunt', 'uncle', 'cousin', 'grandmother', 'grandfather', 'oldest friend'],
  food: [
    'bread and cheese',
    'hot soup',
    'apples',
    'a pot of tea',
    'fresh eggs',
    'plum cake',
    'roasted potatoes',
    'warm milk with honey',
    'fish stew',
    'oat biscuits',
  ],
  skyAdjective: ['grey', 'pale', 'heavy', 'clear', 'low', 'golden', 'cloudless', 'silver', 'dark', 'wide'],
  mood: ['tired', 'worried', 'cheerful', 'restless', 'quiet', 'hopeful', 'stubborn', 'curious', 'nervous', 'calm'],
  opening: [
    'Early in the morning',
    'Late that afternoon',
    'On the first day of spring',
    'One evening in October',
    'Just before dawn',
    'On a bright Sunday in June',
    'In the middle of winter',
    'When the harvest was nearly over',
    'On the last day of the school year',
    'A week after the floods',
  ],
  weather: [
    'A cold wind came down from the hills and rattled the shutters.',
    'Rain had fallen all night, and the roads were soft with mud.',
    'The air was still, and smoke rose straight up from the chimneys.',
    'Fog lay over the fields so thickly that the fences seemed to float.',
    'The sun was warm on the stones, and the bees were busy in the hedges.',
    'Snow had covered the roofs, and the streets were strangely silent.',
    'A light rain was falling, the kind that soaks you before you notice it.',
    'The wind smelled of salt and seaweed, as it always did before a change in the weather.',
    'Clouds moved quickly across the sky, and their shadows ran over the hills.',
    'It was the kind of [morning|day] when everything seems possible.',
  ],
  scenery: [
    'Along the lane, the hedges were full of [blackberries|wild roses|sparrows|dry leaves].',
    'Far below, the river [shone like a ribbon|turned slowly toward the sea|was brown and fast after the rain].',
    'A {wildAnimal} watched them from the [ditch|branches of an oak|long grass] and did not move.',
    'They passed a cottage where someone was [singing|chopping wood|beating a carpet|playing the piano] behind the curtains.',
    'The path climbed between old walls covered in moss.',
    'Somewhere a church bell rang [twice|the hour|for a wedding], and the sound carried across the valley.',
    'The fields on either side had been ploughed, and crows walked along the furrows.',
    'At the crossroads stood a signpost so old that nobody could read it any more.',
    'The wind bent the tall grass, and for a moment the whole hillside seemed to breathe.',
    'Children were playing by the [pond|fountain|gate] and stopped to stare as they went by.',
  ],
  reflection: [
    '{A} thought that a day could change a great deal, even when it began like any other.',
    'It was strange, {A} thought, how the smallest things were the hardest to lose.',
    '{A} knew that {A.he} would remember this [day|evening|walk] for a long time.',
    'Perhaps, {A} thought, asking for help was not a weakness after all.',
    'For the first time in weeks, {A} felt that everything was in its proper place.',
    '{A} decided that tomorrow {A.he} would [write to {A.his} {relative}|mend the fence at last|get up before the sun|bake something for {B}].',
  ],
  closing: [
    'That night the wind died down, and {town} slept.',
    'When {A} finally went to bed, the moon was high over the roofs of {town}.',
    'Later, sitting by the fire with {food}, {A} laughed about the whole thing.',
    'The lamps were lit one by one along the street, and the day was over.',
    'By the time they said goodbye, the first stars had come out.',
  ],
};

/** Plots: each has setup lines, a dialogue (speaker A or B, line), journey and resolution lines. */
const PLOTS = [
  {
    title: ['The Lost {Object}', 'Where the {Object} Went'],
    setup: [
      '{A} could not find {A.his} {object} anywhere.',
      '{A.he} had looked under the bed, behind the stove and in every drawer of the kitchen, but it was gone.',
      'It had belonged to {A.his} {relative}, and {A.he} had carried it for [years|as long as {A.he} could remember].',
    ],
    dialogue: [
      ['B', 'You look {mood} this morning. What is the matter?'],
      ['A', 'I have lost my {object}, and I cannot think where I left it.'],
      ['B', 'When did you last have it?'],
      ['A', 'Yesterday, I think, when I went to {place}.'],
      ['B', 'Then that is where we will start. Put your boots on!'],
    ],
    journey: ['They set off together toward {place}.', 'On the way, {B} asked about every step {A} had taken the day before.'],
    resolution: [
      'At {place}, they searched for nearly an hour without any luck.',
      'Then {B} noticed a {wildAnimal} tugging at something half hidden in the grass.',
      'It was the {object}, wet and muddy but not broken.',
      '{A} held it for a long moment and could not say anything at all.',
    ],
  },
  {
    title: ['The Storm', 'Before the Storm', 'Wind over {town}'],
    setup: [
      'Old {B}, who had been a sailor for forty years, said a storm was coming.',
      'Nobody in {town} believed {B.him}, because the sky was still {skyAdjective} and calm.',
      'But {A} had learned to trust the old sailor more than the newspaper.',
    ],
    dialogue: [
      ['A', 'How long do we have?'],
      ['B', 'Until dark, if we are lucky. The boats must come in before then.'],
      ['A', 'The men at {place} will not listen to me.'],
      ['B', 'Then make them listen. Tell them I said so!'],
      ['A', 'And if you are wrong?'],
      ['B', 'Then you can laugh at me tomorrow, and I will buy the drinks.'],
    ],
    journey: [
      '{A} ran down to {place}, holding {A.his} hat against the rising wind.',
      'The first heavy drops were already falling when {A.he} reached the water.',
    ],
    resolution: [
      'One by one, the boats were pulled up onto the shingle and tied down.',
      'The storm broke an hour later, and it raged all night.',
      'In the morning, the harbour wall was cracked and the beach was covered in driftwood, but every boat was safe.',
      'Nobody laughed at old {B} after that.',
    ],
  },
  {
    title: ['A Letter from {town2}', 'The Long Road to {town2}'],
    setup: [
      'A letter came for {A} from {town2}.',
      'It was from {A.his} {relative}, who had not written in [seven|ten|nearly twenty] years.',
      'The handwriting was shaky, and the letter was only three lines long.',
    ],
    dialogue: [
      ['B', 'What does it say?'],
      ['A', 'Only that I should come, and that I should not wait too long.'],
      ['B', 'Then you must go. I will look after the house and feed the {animal}.'],
      ['A', 'It is two days on foot, and I have not been further than {place} in years.'],
      ['B', 'All the more reason to go now.'],
    ],
    journey: [
      '{A} packed {food}, a clean shirt and the letter, and set off before sunrise.',
      'The road to {town2} ran through woods and over bare hills where the wind never stopped.',
      'That night {A.he} slept in a barn, listening to the rain on the roof.',
    ],
    resolution: [
      'When {A} reached {town2}, {A.his} {relative} was waiting at the gate, much older and much smaller than {A.he} remembered.',
      'They did not talk about the missing years at first.',
      'They talked about the weather, and the price of bread, and the {animal} {A} had left at home.',
      'Only much later, when the fire was low, did the real conversation begin.',
    ],
  },
  {
    title: ['The Sick {Animal}', 'A Cure from the Forest'],
    setup: [
      '{A.his} {animal} would not eat, and it lay in the straw with its eyes half closed.',
      '{A} sat with it all night, but by morning it was no better.',
      'The doctor in {town} treated people, not animals, and the nearest vet lived a day away.',
    ],
    dialogue: [
      ['B', 'My grandmother used to make a medicine from the bark of the willow tree.'],
      ['A', 'Do you remember how?'],
      ['B', 'Most of it. The rest we will have to guess.'],
      ['A', 'Where do the willows grow?'],
      ['B', 'Beyond {place}, where the river bends. Bring a knife and a basket.'],
    ],
    journey: [
      'They walked past {place} and followed the river until the willows hung over the water.',
      '{B} cut strips of bark carefully, never taking too much from one tree.',
    ],
    resolution: [
      'Back at the house, they boiled the bark for an hour until the water turned the colour of tea.',
      'The {animal} drank a little, and then a little more.',
      'By the next evening it was standing up and complaining about its breakfast, which {A} took as a very good sign.',
    ],
  },
  {
    title: ['The Broken Bridge', 'Stone by Stone'],
    setup: [
      'The stone bridge at {town} had cracked in the spring flood.',
      'Carts could no longer cross, and the farmers had to go the long way round to the market.',
      'Everyone agreed that something should be done, and nobody did anything.',
    ],
    dialogue: [
      ['A', 'If we wait for the council, we will wait until we are old.'],
      ['B', 'You cannot mend a bridge with your bare hands.'],
      ['A', 'No, but I can with yours. You have the strongest hands in the valley.'],
      ['B', 'Flattery will not lift stones.'],
      ['A', 'Then come and lift them with me, and I will bring the soup.'],
    ],
    journey: [
      'On Saturday, {A} and {B} carried tools and planks down to the river.',
      'By noon, half the village had come to watch, and by evening most of them were helping.',
    ],
    resolution: [
      'It took three weeks of work, and the new stones did not quite match the old ones.',
      'But when the first cart rolled across, the whole village cheered as if it were a wedding.',
      'Someone carved the names of the workers into the last stone, and {A} pretended not to be proud.',
    ],
  },
  {
    title: ['The Summer Fair', 'Three Days Before the Fair'],
    setup: [
      'The summer fair was only three days away, and nothing was ready.',
      'The tents were still in the barn, the band had no music, and the baker had burned the first batch of cakes.',
      '{A} had promised to organise everything, which now seemed like a very poor idea.',
    ],
    dialogue: [
      ['B', 'Why are you sitting on the steps with your head in your hands?'],
      ['A', 'Because the fair is on Saturday and I have nothing but a list.'],
      ['B', 'A list is a good beginning. Read it to me!'],
      ['A', 'Tents, music, cakes, lanterns, and a prize for the best {animal}.'],
      ['B', 'I can do the lanterns, and my cousin plays the fiddle. Give me the list.'],
    ],
    journey: [
      'They divided the work between them and went from door to door across {town}.',
      'By the second evening, the tents stood in the field behind {place}.',
    ],
    resolution: [
      'On Saturday the sun came out, the band played too loudly, and nobody minded.',
      'The prize for the best {animal} went to a girl of seven, who cried with happiness.',
      'When the last lantern went out, {A} crossed the last line off the list and slept for eleven hours.',
    ],
  },
  {
    title: ['The Stranger', 'A Visitor in {town}'],
    setup: [
      'A stranger arrived in {town} one afternoon with a {object} and a story that nobody believed.',
      '{B.he} said {B.his} name was {B} and that {B.he} had walked from the mountains, and {B.his} boots looked as if it were true.',
      'The people at {place} watched {B.him} from a distance and whispered.',
    ],
    dialogue: [
      ['A', 'Are you hungry? There is soup at my house, and nobody else will ask you.'],
      ['B', 'That is kind of you. I have not eaten since yesterday.'],
      ['A', 'Where are you going?'],
      ['B', 'To the sea. I have never seen it, and I promised myself I would before I grew old.'],
      ['A', 'Then you are nearly there. It is just beyond {place}.'],
    ],
    journey: ['The next morning, {A} walked with the stranger as far as {place}.', 'From the top of the hill, they could see the grey line of the sea.'],
    resolution: [
      'The stranger stood very still for a long time.',
      'Then {B.he} laughed, thanked {A} twice, and walked down toward the water without looking back.',
      '{B.he} left the {object} on the gatepost, and {A} kept it on the kitchen shelf for the rest of {A.his} life.',
    ],
  },
];

const SPEECH_TAGS = { '.': ['said', 'replied', 'answered', 'added', 'explained'], '?': ['asked', 'wondered'], '!': ['cried', 'called', 'laughed', 'insisted'] };

/** Creates the story grammar over a PRNG. */
function createStoryWriter(random) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  const withArticle = (noun) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

  /** Expands [a|b] alternatives and {slot} references: cast fields (A, A.his, object...), title-cased ({Object}) or word pools. */
  function expand(template, cast) {
    const chosen = template.replace(/\[([^[\]]*)\]/g, (_, options) => pick(options.split('|')));
    return chosen.replace(/\{([\w.]+)\}/g, (_, key) => {
      const lower = key.charAt(0).toLowerCase() + key.slice(1);
      const value = key in cast ? cast[key] : lower in cast ? cast[lower].replace(/\b\w/g, (letter) => letter.toUpperCase()) : expand(pick(POOLS[key]), cast);
      return expand(value, cast);
    });
  }

  /** One dialogue line with a speech tag chosen by its final punctuation, in one of three layouts. */
  function speak(line, speaker, listener) {
    const mark = line.at(-1);
    const body = line.slice(0, -1);
    const tag = pick(SPEECH_TAGS[mark]);
    const layout = random();
    if (layout < 0.5) {
      return `"${body}${mark === '.' ? ',' : mark}" ${tag} ${speaker}.`;
    }
    if (layout < 0.75) {
      return `${speaker} looked at ${listener}. "${line}"`;
    }
    return `${speaker} ${tag}, "${line}"`;
  }

  /** Builds the cast of a chapter: two different people, their pronouns, and the plot's fixed places and things. */
  function castChapter() {
    const protagonist = pick(PEOPLE);
    const companion = pick(PEOPLE.filter((person) => person !== protagonist));
    const town = pick(POOLS.town);
    const cast = {
      town,
      town2: pick(POOLS.town.filter((other) => other !== town)),
      place: pick(POOLS.place),
      object: pick(POOLS.object),
      animal: pick(POOLS.animal),
      role: pick(POOLS.role),
    };
    for (const [key, person] of [
      ['A', protagonist],
      ['B', companion],
    ]) {
      Object.assign(cast, { [key]: person.name, [`${key}.he`]: person.he, [`${key}.his`]: person.his, [`${key}.him`]: person.him });
    }
    return cast;
  }

  /** A chapter: heading, setting paragraph, plot setup, dialogue, journey with scenery, resolution and closing. */
  function writeChapter(number) {
    const plot = pick(PLOTS);
    const cast = castChapter();
    const sentences = (templates) => templates.map((template) => capitalize(expand(template, cast))).join(' ');
    const setting = sentences([
      `{opening}, ${withArticle(pick(POOLS.skyAdjective))} sky hung over {town}.`,
      pick(POOLS.weather),
      `{A}, the {role}, was [up early|already at work|feeling {mood}|in no hurry to begin the day].`,
    ]);
    const dialogue = plot.dialogue.map(([who, line]) => {
      const [speaker, listener] = who === 'A' ? [cast.A, cast.B] : [cast.B, cast.A];
      return speak(capitalize(expand(line, cast)), speaker, listener);
    });
    const scenery = [pick(POOLS.scenery), pick(POOLS.scenery)];
    const paragraphs = [
      `Chapter ${number}: ${expand(pick(plot.title), cast)}`,
      setting,
      sentences(plot.setup),
      ...dialogue,
      sentences([...plot.journey, ...scenery]),
      sentences(plot.resolution),
      sentences([pick(POOLS.reflection), pick(POOLS.closing)]),
    ];
    return paragraphs.join('\n\n');
  }

  return { writeChapter };
}

/** About ENGLISH_TARGET_BYTES of chapters. */
function generateEnglish() {
  const writer = createStoryWriter(createRandom(20240131));
  const chapters = [];
  let bytes = 0;
  while (bytes < ENGLISH_TARGET_BYTES) {
    const chapter = writer.writeChapter(chapters.length + 1);
    chapters.push(chapter);
    bytes += chapter.length + 2;
  }
  return `${chapters.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Time series.

/** Two years of hourly electricity load with daily and weekly cycles, a trend, temperature response and AR(1) noise. */
function generateEnergyCsv() {
  const gaussian = createGaussian(createRandom(7));
  const start = Date.UTC(2023, 0, 1);
  const hours = 2 * 365 * 24;
  const lines = ['timestamp,temperature_c,price_eur,load_mw'];
  let temperatureNoise = 0;
  let loadNoise = 0;
  for (let hour = 0; hour < hours; hour++) {
    const time = new Date(start + hour * HOUR_MS);
    const dayOfYear = hour / 24;
    const hourOfDay = time.getUTCHours();
    const weekend = time.getUTCDay() === 0 || time.getUTCDay() === 6;
    temperatureNoise = 0.95 * temperatureNoise + 0.6 * gaussian();
    const temperature = 10 - 9 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365) - 4 * Math.cos((2 * Math.PI * (hourOfDay - 3)) / 24) + temperatureNoise;
    const dailyShape =
      Math.exp(-(((hourOfDay - 8.5) / 2.5) ** 2)) * 0.8 + Math.exp(-(((hourOfDay - 19) / 3) ** 2)) + 0.15 * Math.sin((Math.PI * hourOfDay) / 24);
    const weather = 9 * Math.max(0, 16 - temperature) + 14 * Math.max(0, temperature - 22);
    loadNoise = 0.8 * loadNoise + 12 * gaussian();
    const load = (620 + 0.004 * hour + 260 * dailyShape) * (weekend ? 0.82 : 1) + weather + loadNoise;
    const price = 35 + 0.09 * (load - 600) + 0.002 * Math.max(0, load - 850) ** 2 + 6 * gaussian();
    lines.push(`${time.toISOString().slice(0, 16).replace('T', ' ')},${temperature.toFixed(1)},${price.toFixed(2)},${load.toFixed(1)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Ten years of monthly sales in year/month columns, with growth, a yearly cycle peaking in December, and noise. */
function generateMonthlySalesCsv() {
  const gaussian = createGaussian(createRandom(12));
  const monthlyFactor = [0.82, 0.8, 0.92, 0.97, 1.02, 1.08, 1.12, 1.06, 0.96, 0.98, 1.1, 1.37];
  const lines = ['year,month,sales'];
  for (let index = 0; index < 120; index++) {
    const year = 2015 + Math.floor(index / 12);
    const month = (index % 12) + 1;
    const sales = (1200 + 9 * index) * monthlyFactor[month - 1] * (1 + 0.03 * gaussian());
    lines.push(`${year},${month},${Math.round(sales)}`);
  }
  return `${lines.join('\n')}\n`;
}

mkdirSync(SAMPLES_DIR, { recursive: true });
const samples = {
  'hello.txt': 'hello\n',
  'english.txt': generateEnglish(),
  'energy.csv': generateEnergyCsv(),
  'monthly_sales.csv': generateMonthlySalesCsv(),
};
for (const [name, content] of Object.entries(samples)) {
  writeFileSync(join(SAMPLES_DIR, name), content);
  process.stdout.write(`${name}: ${Buffer.byteLength(content)} bytes\n`);
}
