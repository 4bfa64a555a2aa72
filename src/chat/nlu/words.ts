/**
 * Closed word classes that carry no intent but matter for two things:
 * - language detection (function words are the most reliable signal of a language), and
 * - typo correction: a known word is never "corrected" into a lexicon word ("data" must not become "date",
 *   "most" must not become "cost").
 * Also: common first names (to spot "how many credits did juan use" without a dictionary) and generic plan
 * tier names (to fill targetPlan for "the scale plan" without a dictionary).
 */

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w.length > 0);

export const EN_FUNCTION = new Set(
  words(`
  a an the i me my mine myself we us our ours you your yours u ur ya he she it its they them their theirs
  is are was were be been being am im ive id ill its thats theres heres whats wheres hows whos
  do does did doing done dont doesnt didnt have has had having havent hasnt hadnt
  can cant could couldnt would wouldnt should shouldnt shall may might must will wont
  to of in on at by for from with without about into onto over under up down out off than then
  and or but nor so because as if while until till unless though although since
  this that these those there here what which who whom whose when where why how
  all any some no not none every each both either neither few many much more most other others
  such only own same just very too also again already still yet ever never always
  please pls plz thx ok okay yes yeah yep nope hi hey hello
  one two three four five six seven eight nine ten hundred thousand million
  get got gets getting give gave go goes going went gone come came make made take took let lets
  see saw seen say said tell told ask asked know knew think want wanted like need try
  something anything nothing everything someone anyone everyone thing things way lot lots bit
  right now today actually really exactly basically literally maybe perhaps like kinda sorta
  well sure guys guy folks team hmm uh um btw fyi asap
  account accounts settings page section button screen dashboard platform tool app website site
  number numbers amount data info information table tables row rows column columns record records
  name names list lists file files work works working worked job jobs task tasks thing
  first last next previous past current new old same different real actual
  time times week weeks month months year years day days hour hours minute minutes
  good bad better best big small high low fast slow long short full half whole entire
  again instead else otherwise anyway though ones kind kinds mean means meant line fine case cases part parts
  able happy sorry wait hope guess seem seems look looks feel felt said says mine yours hers able
  around across along behind between through during before after above below near within
  everyone somewhere anywhere everywhere nowhere hello hey folks team quick question questions
  super slow slowly quickly loading load loads loaded click clicked page pages open close closed message
  love hate favorite favourite movie movies music weather joke jokes funny story news today tomorrow
  problem issues help helping helped question answer answers reply replied support supported
  email emails mail phone call calls meeting demo trial login logged user users person people
  company companies business customer customers client clients price prices plan plans product products
  using used use uses work works worked working run running ran start started stop stopped
  correct incorrect true false sure unsure maybe probably definitely certainly obviously clearly
  still already almost nearly totally completely fully partly mostly usually normally generally
  hi thanks thank please sorry excuse pardon welcome bye goodbye later soon
  great good nice bad awful terrible amazing awesome cool fine okay perfect weird strange odd
  huge tiny large little many much more less least most few several plenty enough
  yes no maybe never always sometimes often rarely ever
  create created creating update updated updating delete deleted remove removed add added adding
  send sent sending receive received write wrote written read reading show showed shown
  try tried trying test testing tested check checked checking fix fixed fixing
  set setting settings setup config configure configured install installed
  thing stuff something anything everything nothing
  rules rule youre theyre hes shes weve youve theyve wouldnt couldnt shouldnt prior previous instruction
  instructions ignore ignoring disregard pretend act acting system prompt admin administrator mode
  `),
);

export const ES_FUNCTION = new Set(
  words(`
  a el la los las lo un una unos unas al del de en por para con sin sobre entre hasta desde hacia tras
  y e o u ni que quien quienes cual cuales cuyo donde cuando como cuanto cuanta cuantos cuantas
  yo tu usted vosotros ustedes nosotros nos me te se le les mi mis tus su sus nuestro nuestra nuestros nuestras
  este esta estos estas ese esa esos esas esto eso aquel aquella
  es son era eran fue fueron ser sido soy somos estoy estamos esta estan estaba estado
  he has ha hemos han habia hay haber tengo tienes tiene tenemos tienen tener tenia
  puedo puedes puede podemos pueden poder podria podrias podriamos podeis
  quiero quieres quiere queremos quieren necesito sabes saber
  hago hace hacen hacemos hacer hecho
  muy mas menos tan tanto poco mucho muchos muchas todo toda todos todas nada algo alguien algun alguna algunos algunas
  ya aun todavia tambien tampoco solo solamente siempre nunca casi bien mal asi aqui ahi alli ahora luego despues antes
  si no porque pero aunque pues entonces mientras
  hola gracias favor porfa porfavor vale claro bueno buena
  uno dos tres cuatro cinco seis siete ocho nueve diez cien mil
  cuenta cuentas pagina seccion boton pantalla panel plataforma herramienta web aplicacion
  numero numeros cantidad datos informacion tabla tablas fila filas columna columnas registro
  nombre lista archivo trabajo tarea cosa cosas forma manera vez veces
  primero primera ultimo ultima ultimos ultimas siguiente anterior pasado pasada actual nuevo nueva viejo
  semana semanas mes meses ano anos dia dias hora horas minuto minutos
  grande pequeno alto bajo rapido lento entero entera completo
  ahora mismo realmente exactamente quizas tal vez oye mira perdon disculpa creo crees cree creemos pregunta duda
  super lento lenta rapido rapida carga cargando pagina boton abrir cerrar mensaje correo telefono
  pelicula musica tiempo clima chiste gracioso favorita favorito hola adios chao luego pronto
  problema ayuda ayudar pregunta respuesta responder soporte usuario persona gente empresa cliente clientes
  usar uso usando funciona funcionando trabajar empezar parar arreglar probar prueba
  correcto seguro claro quizas normalmente siempre nunca casi totalmente bastante demasiado
  genial bien mal raro extrano perfecto vale enorme pequeno grande mucho poco varios
  crear editar borrar anadir enviar recibir escribir leer mostrar intentar revisar configurar instalar
  cosa cosas algo nada todo
  reglas regla instrucciones instruccion anterior anteriores ignora ignorar olvida olvidar finge sistema modo
  `),
);

/** Frequent English content words: never "corrected" into a lexicon word. */
export const EN_COMMON = new Set(
  words(`
  look looking looked say saying find found give given keep kept begin began seem seemed help talk turn turned
  show showed hear heard play played move moved live lived believe believed hold held bring brought happen happened
  write provide sit sat stand stood lose lost pay paid meet met include continue set learn learned change lead
  understand understood watch watched follow followed stop create speak spoke read allow allowed add spend grow grew
  open walk win won offer remember love consider appear buy wait serve die send expect build stay fall cut reach
  kill remain suggest raise pass sell require report decide pull explain develop carry break receive agree support
  hit produce eat cover catch draw choose cause point listen realize place close involve mention notice join
  thank thanks plan plans hope enjoy drive wonder worry tried trying wish describe fill filled miss missed reply
  load loaded save saved share shared sign signed log logged connect connected fix fixed handle handled manage managed
  people person man woman child world life hand part place case week company system program question work government
  number night point home water room mother area money story fact month lot right study book eye job word business
  issue side kind head house service friend father power hour game line end member law car city community name
  president team minute idea kid body information back parent face others level office door health art war history
  party result change morning reason research girl guy moment air teacher force education foot boy age policy
  process music market sense nation plan college interest death experience effect use class control care field
  development role effort rate heart drug show leader light voice wife police mind price report decision son view
  relationship town road arm difference value building action model season society tax director position player
  record paper space ground form event official matter center couple site project activity star table need court
  oil situation cost industry figure street image phone data picture practice piece land product doctor wall
  patient worker news test movie north love support technology step baby computer type attention film tree source
  organization hair window evidence population site brand screen button tab menu link list lists email inbox
  small large big long great little own old right high different important few public bad same able last late
  hard major better economic strong possible whole free military true federal international full special easy
  clear recent certain personal open red difficult available likely short single medical current wrong private
  past foreign fine common poor natural significant similar hot dead central happy serious ready simple left
  physical general environmental financial blue democratic dark various entire close legal religious cold final
  main green nice huge popular traditional cultural slow quick weird odd strange correct exact total super basic
  really actually probably basically simply quite rather pretty almost enough already soon later today tonight
  manually manual quote quotes confused confusing paste grab grabbed rack racked bonus import imports importing imported mate
  yesterday tomorrow usually often sometimes always never ever once twice again still also even just only
  `),
);

/** Frequent Spanish content words: never "corrected" into a lexicon word. */
export const ES_COMMON = new Set(
  words(`
  decir dice dijo hacer hace hizo ir va fue ver vio dar da dio saber sabe supo querer quiere poner pone puso parecer
  parece quedar creer cree hablar habla llevar lleva dejar deja seguir sigue encontrar llamar venir viene pensar
  piensa salir sale volver vuelve tomar toma conocer conoce vivir vive sentir trata tratar mirar mira contar cuenta
  empezar empieza esperar espera buscar busca existir entrar trabajar trabaja escribir perder producir ocurrir
  entender entiende pedir pide recibir recordar terminar permitir aparecer conseguir comenzar servir sacar necesitar
  mantener resultar leer caer cambiar presentar crear abrir considerar oir acabar convertir ganar formar traer
  partir morir aceptar realizar suponer comprender lograr explicar preguntar tocar reconocer estudiar alcanzar
  nacer dirigir correr utilizar pagar ayudar gustar jugar escuchar cumplir ofrecer descubrir levantar intentar
  cosa casa tiempo vida dia ano vez mundo hombre mujer parte nino gobierno lugar pais forma caso punto grupo
  problema mano momento empresa trabajo persona ciudad agua familia hora historia semana mes noche cuenta nombre
  lado padre madre manera palabra ejemplo idea tema servicio sistema nivel informacion pantalla pagina boton
  equipo plan precio datos dato tabla lista campo foto imagen video mensaje correo telefono numero dinero
  grande nuevo bueno primero mismo largo malo mejor peor alto propio social ultimo cierto general politico
  pequeno importante claro unico mayor menor facil dificil posible distinto simple rapido lento raro normal
  entonces ahora siempre nunca tambien luego despues antes todavia aun ya casi solo solamente bastante muy mucho
  poco demasiado tarde temprano pronto hoy ayer manana aqui alli ahi
  manualmente pido pedimos cuento marcha habeis hayais pueda puedan podamos puedas entiendo entendemos entiendes encuentro encuentra
  encuentras actua actuar actues contratado contratada contratados contratadas contratamos contrate
  `),
);

/** Known words of either language that are neither function words nor in a lexicon (never typo-corrected). */
export const KNOWN_NEUTRAL = new Set(
  words(`
  linkedin google microsoft apple slack teams whatsapp csv url www com http https
  trial free demo setup onboarding owner admin role roles permission permissions
  madrid barcelona london spain weather joke story song
  wise wide tank bar store stored storing storage woke wake waking
  data date dato datos table tabla
  `),
);

/**
 * Common first names (English- and Spanish-speaking markets). Used only as a hint that a token is a person when
 * no entity dictionary is given; with a dictionary, the dictionary decides.
 */
export const FIRST_NAMES = new Set(
  words(`
  juan maria jose josé luis carlos ana pedro pablo javier jorge miguel manuel antonio francisco david daniel
  alejandro fernando sergio diego andres raul alberto roberto ricardo rafael marcos mario oscar ruben adrian
  ivan hugo alvaro lucas martin nicolas sebastian gabriel mateo santiago tomas ignacio gonzalo enrique victor
  laura lucia marta paula elena sara carmen isabel rosa cristina patricia andrea sofia valentina camila
  julia claudia natalia beatriz silvia raquel monica alicia irene nuria pilar teresa veronica carolina
  gabriela daniela mariana fernanda adriana lorena sandra eva ines alba noelia rocio marina
  marc marco jordi pau xavi xavier albert oriol joan montse laia nacho pepe paco lola guillermo felipe emilio
  agustin ramon jaime cesar alfonso marcelo rodrigo facundo matias joaquin lucas valeria florencia
  agustina milagros ximena renata regina luciana martina antonella
  john james robert michael william richard joseph thomas charles christopher matthew anthony steven
  paul andrew joshua kevin brian george edward ryan jacob gary eric jonathan stephen larry justin scott
  brandon benjamin samuel gregory alexander patrick dennis jerry tyler aaron adam nathan henry
  peter kyle noah ethan jeremy christian sean austin zach zachary dylan jordan jake luke alex sam ben tom tim
  mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra
  ashley kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia
  kathleen amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel
  catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren
  joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara
  janice jean alice madison doris abigail julia judy denise amber marilyn beverly danielle theresa
  sophia marie diana brittany natalie isabella charlotte alexis kayla chloe mia lily ella ava zoe
  `),
);

/** Generic plan tier names (used when no plan dictionary is given). Output is title-cased. */
export const PLAN_TIERS = new Set(
  words(`
  starter basic essential essentials pro professional plus growth scale business enterprise premium advanced
  standard elite ultimate unlimited agency startup lite light
  basico esencial profesional avanzado empresarial ilimitado premium
  `),
);
