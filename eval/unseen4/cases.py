# FOURTH HELD-OUT set: eight synthetic UK dictations written on 2026-12-07, before any of their
# audio was heard. Do NOT tune the lexicon, rules, parser or thresholds on these; they only check
# that what was made on the development set (and learnt from ../unseen, ../unseen2 and ../unseen3)
# generalises. Their conditions, people, practices and places appear in none of the earlier sets:
# renal colic from a ureteric stone (urology), coeliac disease in a child (paediatric
# gastroenterology), an abdominal aortic aneurysm (vascular surgery), a quinsy (ENT), IgA
# nephropathy (nephrology), an ischaemic stroke (stroke medicine, a specialty new to the sets),
# hidradenitis suppurativa (a GP referral to a dermatology department) and a scaphoid fracture
# (fracture clinic).
#
# Same format as the development cases (make_audio.py reads it). NHS numbers are in the 999 test
# range and pass the Modulus 11 check. Where a case says "scratch that", its terms hold only what
# is kept (the retracted words here: ibuprofen, clarithromycin, oxytetracycline).

CASES = [
 dict(id="y01_urology_renal_colic", voice="en-gb-x-gbcwmd", speed=150, noise=0.0, letter_type="clinic",
  patient="Desmond Quarrie", dob="1978-04-14", nhs="9992122544", recipient="Dr Lowri Pennant",
  spoken="""Urology clinic letter to Doctor Lowri Pennant, Glanrafon Surgery.
Re Mr Desmond Quarrie, date of birth fourteenth of April nineteen seventy eight, NHS number {NHS}.
Diagnosis colon left ureteric calculus with renal colic new paragraph
Dear Doctor Pennant comma new paragraph
Mr Quarrie came to the emergency department three weeks ago with sudden severe left sided loin to groin pain and vomiting full stop Urinalysis showed blood but no nitrites full stop A non contrast CT of his kidneys comma ureters and bladder showed a six millimetre stone at the left vesicoureteric junction with mild hydronephrosis full stop His serum calcium and uric acid are normal full stop new paragraph
The stone has not passed comma so I have listed him for a left ureteroscopy and laser lithotripsy comma and he will have a ureteric stent for a week or two afterwards full stop Until then he can take ibuprofen scratch that he can take diclofenac fifty milligrams three times a day with food for the pain full stop If he develops a fever or rigors he must come straight to hospital comma because an obstructed infected kidney needs urgent drainage with a nephrostomy full stop Once the stone is out we will arrange a twenty four hour urine collection to look for a cause comma and he should drink at least two and a half litres of fluid a day full stop new paragraph
Kind regards""",
  terms=["ureteric calculus", "renal colic", "loin to groin", "urinalysis", "vesicoureteric junction", "hydronephrosis", "ureteroscopy", "laser lithotripsy", "ureteric stent", "diclofenac", "nephrostomy"]),

 dict(id="y02_paediatrics_coeliac", voice="en-gb-x-rp+f3", speed=150, noise=0.0, letter_type="clinic",
  patient="Poppy Castellano", dob="2016-09-03", nhs="9994101994", recipient="Dr Anselm Whitlow",
  spoken="""Paediatric gastroenterology clinic letter to Doctor Anselm Whitlow, Pelham Street Surgery.
Patient Poppy Castellano, date of birth third of September twenty sixteen, NHS number {NHS}.
Diagnosis colon coeliac disease new paragraph
Dear Doctor Whitlow comma new paragraph
I saw Poppy with her father today full stop She has had abdominal distension comma loose pale offensive stools and tiredness for about a year full stop She has faltering growth comma with her weight falling from the fiftieth to the ninth centile full stop Her tissue transglutaminase antibody level is more than ten times the upper limit of normal comma her endomysial antibodies are positive on a second sample comma and her total IgA is normal full stop She is also iron deficient full stop new paragraph
With antibody levels this high comma we agreed that she does not need an endoscopy with duodenal biopsies to confirm the diagnosis full stop She has started a strict gluten free diet and has seen our paediatric dietitian full stop Please prescribe sodium feredetate five millilitres three times a day for three months full stop Her younger brother should be offered a blood test comma as coeliac disease runs in families full stop We will review her growth and antibody levels in six months full stop new paragraph
Yours sincerely new line
Doctor Morwenna Tregear comma consultant paediatric gastroenterologist""",
  terms=["coeliac disease", "abdominal distension", "faltering growth", "centile", "tissue transglutaminase", "endomysial antibodies", "duodenal biopsies", "gluten-free diet", "dietitian", "sodium feredetate"]),

 dict(id="y03_vascular_aaa", voice="en-gb-scotland", speed=155, noise=0.003, letter_type="clinic",
  patient="Hector Drysdale", dob="1954-02-11", nhs="9995288303", recipient="Dr Seonaid Rintoul",
  spoken="""Vascular surgery clinic letter to Doctor Seonaid Rintoul, Bankhead Medical Practice.
Regarding Mr Hector Drysdale, date of birth eleventh of February nineteen fifty four, NHS number {NHS}.
Diagnosis colon infrarenal abdominal aortic aneurysm measuring five point eight centimetres new paragraph
Dear Doctor Rintoul comma new paragraph
Mr Drysdale's aneurysm was found by the national screening programme when he was sixty five comma and on surveillance ultrasound it has grown to five point eight centimetres comma above the threshold for repair full stop He has no abdominal or back pain full stop On examination there is a pulsatile expansile mass in the epigastrium and his femoral and popliteal pulses are easily felt full stop new paragraph
His CT angiogram shows an infrarenal aneurysm with a long neck comma suitable for endovascular aneurysm repair full stop Cardiopulmonary exercise testing showed an anaerobic threshold of eleven millilitres per kilogram per minute full stop We discussed open repair and endovascular repair comma and he would prefer the endovascular option full stop He understands that he will need lifelong imaging afterwards to look for an endoleak full stop new paragraph
He has stopped smoking full stop Please continue his rosuvastatin ten milligrams at night and amlodipine five milligrams once daily full stop If he has sudden severe abdominal or back pain he should call nine nine nine comma as this may mean the aneurysm has ruptured full stop new paragraph
Best wishes""",
  terms=["abdominal aortic aneurysm", "infrarenal", "pulsatile expansile mass", "popliteal", "endovascular aneurysm repair", "cardiopulmonary exercise testing", "anaerobic threshold", "endoleak", "rosuvastatin", "amlodipine"]),

 dict(id="y04_discharge_ent_quinsy", voice="en-gb", speed=150, noise=0.0, letter_type="discharge",
  patient="Keziah Brightwell", dob="1999-07-22", nhs="9993699772", recipient="Dr Gideon Marchbank",
  spoken="""Discharge summary to Doctor Gideon Marchbank, Weavers Yard Medical Centre.
Patient Ms Keziah Brightwell, date of birth twenty second of July nineteen ninety nine, NHS number {NHS}.
Diagnosis colon right peritonsillar abscess new paragraph
Dear Doctor Marchbank comma new paragraph
Ms Brightwell was admitted under the ENT team with five days of worsening sore throat comma odynophagia comma a muffled voice and trismus full stop Her right tonsil was pushed medially and the uvula was deviated to the left full stop Her Monospot test was negative full stop Needle aspiration under local anaesthetic drained eight millilitres of pus from the right side comma which confirmed a quinsy full stop She was treated with intravenous benzylpenicillin and metronidazole and a single dose of dexamethasone comma and she was eating and drinking the next morning full stop new paragraph
Medications on discharge colon clarithromycin scratch that phenoxymethylpenicillin five hundred milligrams four times a day and metronidazole four hundred milligrams three times a day to complete ten days comma and benzydamine mouthwash as required full stop new paragraph
Follow up colon this is her second quinsy in a year comma so she will be seen in the ENT clinic in six weeks to discuss an interval tonsillectomy full stop new paragraph
Yours sincerely""",
  terms=["peritonsillar abscess", "odynophagia", "trismus", "Monospot", "needle aspiration", "quinsy", "benzylpenicillin", "metronidazole", "dexamethasone", "phenoxymethylpenicillin", "tonsillectomy"]),

 dict(id="y05_nephrology_iga", voice="en-gb-x-gbclan", speed=150, noise=0.0, letter_type="clinic",
  patient="Dinesh Ranasinghe", dob="1987-12-05", nhs="9994624946", recipient="Dr Hamza Qadri",
  spoken="""Clinic letter to Doctor Hamza Qadri, Saltmarsh Surgery.
Regarding Mr Dinesh Ranasinghe, date of birth fifth of December nineteen eighty seven, NHS number {NHS}.
History colon Mr Ranasinghe has twice noticed cola coloured urine a day or two after a sore throat full stop His blood pressure in clinic was one hundred and fifty six over ninety four full stop new line
Investigations colon his urine protein is one point six grams a day and his serum creatinine is one hundred and thirty eight micromoles per litre full stop His complement levels are normal and his anti neutrophil cytoplasmic antibodies are negative full stop A renal biopsy shows IgA nephropathy with mesangial hypercellularity comma mild interstitial fibrosis and no crescents full stop new line
Plan colon he will start irbesartan one hundred and fifty milligrams once daily comma increasing to three hundred milligrams comma aiming for a blood pressure below one hundred and thirty over eighty full stop He should avoid anti inflammatory painkillers full stop If his proteinuria stays above one gram a day after three months of optimised supportive care comma we will consider switching irbesartan to sparsentan full stop new line
Follow up colon renal clinic in six weeks with repeat blood tests and a urine protein measurement""",
  terms=["IgA nephropathy", "renal biopsy", "mesangial hypercellularity", "interstitial fibrosis", "crescents", "complement", "anti-neutrophil cytoplasmic antibodies", "proteinuria", "irbesartan", "sparsentan"]),

 dict(id="y06_discharge_stroke", voice="en-gb-x-rp", speed=145, noise=0.004, letter_type="discharge",
  patient="Philomena Greatorex", dob="1949-03-18", nhs="9994019198", recipient="Dr Esther Pengelly",
  spoken="""Discharge summary to Doctor Esther Pengelly, Lanyon Surgery.
Patient Mrs Philomena Greatorex, date of birth eighteenth of March nineteen forty nine, NHS number {NHS}.
Diagnosis colon left middle cerebral artery ischaemic stroke new line paroxysmal atrial fibrillation new paragraph
Dear Doctor Pengelly comma new paragraph
Mrs Greatorex was brought in by ambulance an hour after the sudden onset of right sided weakness and difficulty finding her words full stop Her National Institutes of Health Stroke Scale score was eleven full stop A CT head showed no haemorrhage and a CT angiogram showed an occlusion of the left middle cerebral artery full stop She was thrombolysed with tenecteplase and transferred for mechanical thrombectomy comma with good reperfusion full stop new paragraph
Her right hemiparesis has largely recovered comma but she still has a mild expressive dysphasia full stop She passed her swallow screen full stop A seventy two hour cardiac monitor showed paroxysmal atrial fibrillation comma so she started dabigatran on day five full stop She has been told not to drive for at least a month full stop new paragraph
Medications on discharge colon dabigatran one hundred and fifty milligrams twice daily comma and her usual levothyroxine seventy five micrograms once daily full stop new paragraph
Follow up colon the early supported discharge team will continue her speech and language therapy at home comma and she will be seen in the stroke clinic in six weeks full stop new paragraph
With best wishes""",
  terms=["ischaemic stroke", "middle cerebral artery", "paroxysmal atrial fibrillation", "National Institutes of Health Stroke Scale", "tenecteplase", "mechanical thrombectomy", "hemiparesis", "expressive dysphasia", "dabigatran", "levothyroxine", "speech and language therapy"]),

 dict(id="y07_referral_hidradenitis", voice="en-gb+f2", speed=150, noise=0.0, letter_type="referral",
  patient="Chantelle Mbatha", dob="1992-06-27", nhs="9992103515", recipient="Dermatology Department",
  spoken="""This is Doctor Ifeoma Chukwuma at Orchard Gate Surgery dictating a referral to the dermatology department, Stanway General Hospital.
Patient Ms Chantelle Mbatha, date of birth twenty seventh of June nineteen ninety two, NHS number {NHS}.
Dear Dermatology Team comma new paragraph
I would be grateful if you could see Ms Mbatha comma who has a four year history of recurrent painful boils in both armpits comma both groins and under her breasts full stop On examination she has inflammatory nodules comma draining sinus tracts and rope like scarring in both armpits full stop I think this is hidradenitis suppurativa comma Hurley stage two full stop She has needed incision and drainage of an abscess twice in the emergency department full stop new paragraph
She has had three months of oxytetracycline scratch that She has had three months of lymecycline four hundred and eight milligrams daily with little benefit comma and she uses chlorhexidine washes and topical clindamycin full stop Her body mass index is thirty six and she smokes ten cigarettes a day comma and I have referred her to our weight management service full stop The condition is affecting her work and her mood full stop I would value your opinion on further treatment comma including whether she might be a candidate for secukinumab full stop new paragraph
Yours faithfully""",
  terms=["hidradenitis suppurativa", "Hurley stage", "inflammatory nodules", "sinus tracts", "incision and drainage", "lymecycline", "chlorhexidine", "clindamycin", "body mass index", "secukinumab"]),

 dict(id="y08_fracture_clinic_scaphoid", voice="en-gb-x-rp", speed=155, noise=0.0, letter_type="clinic",
  patient="Kieran Boateng", dob="2003-10-09", nhs="9998066123", recipient="Dr Marguerite Tiffen",
  spoken="""This is Mr Ruaridh Galbraith, consultant orthopaedic surgeon, dictating a fracture clinic letter to Doctor Marguerite Tiffen at Mill Race Surgery.
Patient Mr Kieran Boateng, date of birth ninth of October two thousand and three, NHS number {NHS}.
Diagnosis colon undisplaced fracture of the waist of the right scaphoid new paragraph
Dear Doctor Tiffen comma new paragraph
Mr Boateng fell onto his outstretched hand playing rugby ten days ago full stop He was tender in the anatomical snuffbox and over the scaphoid tubercle comma but his scaphoid series of X-rays was normal full stop An MRI scan at one week shows an undisplaced fracture through the scaphoid waist full stop Sensation in the median nerve distribution is normal full stop new paragraph
He is in a below elbow cast for six weeks comma after which we will arrange a CT scan to confirm union full stop Because the blood supply of the scaphoid enters distally comma the proximal pole is at risk of non union and avascular necrosis full stop If the fracture has not united by twelve weeks comma we would offer percutaneous screw fixation full stop He should not play contact sport until it has healed full stop For pain he can take co-dydramol as needed full stop new paragraph
Kind regards""",
  terms=["scaphoid", "outstretched hand", "anatomical snuffbox", "scaphoid tubercle", "below elbow cast", "proximal pole", "non-union", "avascular necrosis", "percutaneous screw fixation", "co-dydramol"]),
]
