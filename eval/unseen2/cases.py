# SECOND HELD-OUT set: eight synthetic UK dictations written on 2026-12-05 (stop 39), after the
# first held-out set (../unseen) had been read closely enough to inform general fixes. Do NOT tune
# the lexicon, rules, parser or thresholds on these; they only check that what was made on the
# development set (and learnt from ../unseen) generalises. Their people, practices and places
# appear in neither earlier set; of their 79 terms, one is a term there too (prednisolone) and three
# are words spoken there (intramuscular, liver function tests, echocardiogram).
#
# Same format as the development cases (make_audio.py reads it). NHS numbers are in the 999 test
# range and pass the Modulus 11 check. Where a case says "scratch that", its terms hold only what
# is kept (the retracted words here: mebeverine, sumatriptan, tramadol, olanzapine).

CASES = [
 dict(id="w01_gastro_crohns", voice="en-gb-x-rp", speed=150, noise=0.0, letter_type="clinic",
  patient="Declan Fitzpatrick", dob="1994-01-12", nhs="9999899080", recipient="Dr Sunita Raman",
  spoken="""Gastroenterology clinic letter to Doctor Sunita Raman, Brookside Family Practice.
Re Mr Declan Fitzpatrick, date of birth twelfth of January nineteen ninety four, NHS number {NHS}.
Diagnosis colon terminal ileal Crohn's disease with a short stricture new paragraph
Dear Doctor Raman comma new paragraph
Mr Fitzpatrick has had colicky right iliac fossa pain and loose stools for five months full stop His magnetic resonance enterography shows fifteen centimetres of inflamed terminal ileum with a short stricture but no abscess full stop His vitamin B12 is low full stop I had started mebeverine full stop scratch that I have not started any new antispasmodic full stop new paragraph
We will start infliximab induction at five milligrams per kilogram comma with intramuscular hydroxocobalamin injections full stop He has stopped smoking comma which will help full stop Please avoid nonsteroidal anti inflammatory drugs full stop new paragraph
Yours sincerely""",
  terms=["Crohn's disease", "stricture", "right iliac fossa", "magnetic resonance enterography", "terminal ileum", "vitamin B12", "infliximab", "intramuscular", "hydroxocobalamin", "nonsteroidal anti-inflammatory drugs"]),

 dict(id="w02_discharge_pe", voice="en-gb", speed=150, noise=0.0, letter_type="discharge",
  patient="Rosalind Achterberg", dob="1979-07-05", nhs="9994420496", recipient="Dr Owen Blackett",
  spoken="""Discharge summary to Doctor Owen Blackett, Priory Road Surgery.
Patient Mrs Rosalind Achterberg, date of birth fifth of July nineteen seventy nine, NHS number {NHS}.
Diagnosis colon bilateral pulmonary emboli new line
History colon Mrs Achterberg presented with pleuritic chest pain and breathlessness ten days after a long haul flight full stop She was tachycardic at one hundred and twelve with a raised D-dimer full stop new line
Investigations colon a CT pulmonary angiogram showed bilateral segmental pulmonary emboli without right ventricular strain full stop Her troponin was normal full stop new line
Plan colon she was treated with apixaban scratch that she was treated with rivaroxaban fifteen milligrams twice daily for three weeks then twenty milligrams once daily for at least three months full stop She should stop her combined oral contraceptive pill full stop new line
Follow up colon anticoagulation clinic in three months""",
  terms=["pulmonary emboli", "pleuritic chest pain", "tachycardic", "D-dimer", "CT pulmonary angiogram", "segmental", "right ventricular strain", "troponin", "rivaroxaban", "combined oral contraceptive pill"]),

 dict(id="w03_neurology_migraine", voice="en-gb-scotland", speed=150, noise=0.0, letter_type="clinic",
  patient="Isla Mackintosh", dob="1990-09-18", nhs="9996889661", recipient="Dr Graham Sinclair",
  spoken="""This is Doctor Farida Haddad, consultant neurologist, dictating a clinic letter to Doctor Graham Sinclair at Loch View Medical Practice.
Patient Miss Isla Mackintosh, date of birth eighteenth of September nineteen ninety, NHS number {NHS}.
Dear Doctor Sinclair comma new paragraph
Miss Mackintosh has chronic migraine with aura comma with headaches on twenty days a month and photophobia full stop She takes co-codamol most days comma so there is an element of medication overuse headache full stop Fundoscopy showed no papilloedema and her neurological examination was normal full stop new paragraph
I have advised her to stop the co-codamol full stop For prevention she will start topiramate twenty five milligrams at night comma increasing slowly comma and she must use reliable contraception because it is teratogenic full stop For attacks she can take zolmitriptan full stop If topiramate fails we would consider candesartan full stop new paragraph
Kind regards""",
  terms=["chronic migraine", "aura", "photophobia", "co-codamol", "medication overuse headache", "papilloedema", "topiramate", "teratogenic", "zolmitriptan", "candesartan"]),

 dict(id="w04_endocrine_addisons", voice="en-gb-x-gbclan", speed=150, noise=0.0, letter_type="clinic",
  patient="Nathaniel Okafor", dob="1983-12-02", nhs="9997814681", recipient="Dr Imogen Pryce",
  spoken="""Clinic letter to Doctor Imogen Pryce, Cedar Lodge Surgery.
Regarding Mr Nathaniel Okafor, date of birth second of December nineteen eighty three, NHS number {NHS}.
History colon Mr Okafor had fatigue comma weight loss comma salt craving and hyperpigmentation of his palmar creases full stop His sodium was one hundred and twenty nine and his potassium five point eight full stop new line
Investigations colon his short Synacthen test showed a peak cortisol of ninety nanomoles per litre comma and his adrenal antibodies are positive full stop This confirms primary adrenal insufficiency comma Addison's disease full stop new line
Plan colon hydrocortisone replacement is started at ten milligrams on waking comma five milligrams at noon and five milligrams in the late afternoon comma with fludrocortisone one hundred micrograms daily full stop He has a steroid emergency card and knows the sick day rules full stop new line
Follow up colon endocrine clinic in six weeks with his renin level""",
  terms=["hyperpigmentation", "palmar creases", "Synacthen test", "cortisol", "adrenal antibodies", "primary adrenal insufficiency", "Addison's disease", "fludrocortisone", "steroid emergency card", "renin"]),

 dict(id="w05_discharge_surgery", voice="en-gb-x-gbcwmd", speed=150, noise=0.0, letter_type="discharge",
  patient="Margaret Pennington", dob="1956-03-27", nhs="9991201890", recipient="Dr Aled Griffiths",
  spoken="""Discharge summary to Doctor Aled Griffiths, Harbour Lane Health Centre.
Patient Mrs Margaret Pennington, date of birth twenty seventh of March nineteen fifty six, NHS number {NHS}.
Dear Doctor Griffiths comma new paragraph
Mrs Pennington was admitted with acute cholecystitis full stop Her liver function tests were deranged with a bilirubin of forty eight comma and a magnetic resonance cholangiopancreatogram showed choledocholithiasis full stop She was treated with intravenous piperacillin with tazobactam full stop new paragraph
She had an endoscopic retrograde cholangiopancreatography with sphincterotomy and stone extraction comma followed by a laparoscopic cholecystectomy on the same admission full stop For pain she may take paracetamol and tramadol scratch that paracetamol and codeine phosphate thirty milligrams as required full stop new paragraph
Yours sincerely""",
  terms=["acute cholecystitis", "liver function tests", "bilirubin", "magnetic resonance cholangiopancreatogram", "choledocholithiasis", "piperacillin with tazobactam", "sphincterotomy", "laparoscopic cholecystectomy", "paracetamol", "codeine phosphate"]),

 dict(id="w06_psychiatry_bipolar", voice="en-gb-x-rp", speed=145, noise=0.0, letter_type="clinic",
  patient="Tobias Lindqvist", dob="1987-05-14", nhs="9999836666", recipient="Dr Rebecca Thorne",
  spoken="""This is Doctor Samuel Osei, consultant psychiatrist, dictating a clinic letter to Doctor Rebecca Thorne at Meadowbank Surgery.
Patient Mr Tobias Lindqvist, date of birth fourteenth of May nineteen eighty seven, NHS number {NHS}.
Diagnosis colon bipolar affective disorder comma currently euthymic new paragraph
Dear Doctor Thorne comma new paragraph
Mr Lindqvist had a hypomanic episode in the spring with pressured speech and reduced need for sleep full stop He has been stable on lithium carbonate eight hundred milligrams at night full stop His serum lithium level is zero point seven full stop He reports polyuria and a fine tremor of his hands full stop new paragraph
Please check his thyroid function comma calcium and estimated glomerular filtration rate every six months full stop For sleep we discussed olanzapine scratch that we agreed on quetiapine twenty five milligrams at night if needed full stop new paragraph
Best wishes""",
  terms=["bipolar affective disorder", "euthymic", "hypomanic", "pressured speech", "lithium carbonate", "serum lithium", "polyuria", "thyroid function", "estimated glomerular filtration rate", "quetiapine"]),

 dict(id="w07_referral_gca", voice="en-gb", speed=155, noise=0.0, letter_type="referral",
  patient="Dorothy Whitcombe", dob="1944-10-08", nhs="9996544044", recipient="Rheumatology Department",
  spoken="""This is Doctor Kwame Asante at Ashgrove Surgery dictating an urgent referral to the rheumatology department, Kingsmead Hospital.
Patient Mrs Dorothy Whitcombe, date of birth eighth of October nineteen forty four, NHS number {NHS}.
Dear Colleague comma new paragraph
Mrs Whitcombe has a two week history of a new left temporal headache with scalp tenderness and jaw pain on chewing full stop She had one episode of blurred vision yesterday full stop Her erythrocyte sedimentation rate is seventy four and her C-reactive protein is sixty one full stop I suspect giant cell arteritis full stop new paragraph
I have started high dose prednisolone sixty milligrams daily with lansoprazole for gastric protection full stop She also has shoulder girdle stiffness suggesting polymyalgia rheumatica full stop I would be grateful for an urgent temporal artery ultrasound or biopsy full stop new paragraph
Yours faithfully""",
  terms=["temporal headache", "scalp tenderness", "erythrocyte sedimentation rate", "C-reactive protein", "giant cell arteritis", "prednisolone", "lansoprazole", "polymyalgia rheumatica", "temporal artery"]),

 dict(id="w08_cardiology_aortic", voice="en-gb-scotland", speed=150, noise=0.0, letter_type="clinic",
  patient="Alasdair Buchanan", dob="1941-04-21", nhs="9996662098", recipient="Dr Morag Henderson",
  spoken="""Cardiology clinic letter to Doctor Morag Henderson, Glenview Practice.
Re Mr Alasdair Buchanan, date of birth twenty first of April nineteen forty one, NHS number {NHS}.
Dear Doctor Henderson comma new paragraph
Mr Buchanan has exertional breathlessness and two episodes of presyncope full stop He has a harsh ejection systolic murmur radiating to the carotids full stop His echocardiogram shows severe aortic stenosis with a mean gradient of fifty two millimetres of mercury and preserved left ventricular function full stop He is also in permanent atrial flutter full stop new paragraph
He will be discussed at our heart team meeting for transcatheter aortic valve implantation full stop In the meantime he should continue edoxaban sixty milligrams once daily and digoxin one hundred and twenty five micrograms daily full stop Please avoid vasodilators full stop new paragraph
With best wishes""",
  terms=["exertional breathlessness", "presyncope", "ejection systolic murmur", "echocardiogram", "aortic stenosis", "left ventricular function", "atrial flutter", "transcatheter aortic valve implantation", "edoxaban", "digoxin"]),
]
