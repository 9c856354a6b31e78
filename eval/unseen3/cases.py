# THIRD HELD-OUT set: eight synthetic UK dictations written on 2026-12-06 (stop 49), before any of
# their audio was heard. Do NOT tune the lexicon, rules, parser or thresholds on these; they only
# check that what was made on the development set (and learnt from ../unseen and ../unseen2)
# generalises. Their conditions, people, practices and places appear in none of the earlier sets,
# nor do five of their specialties (hepatology, palliative care, falls, sexual health and HIV,
# obstetrics); respiratory, haematology and rheumatology come back with conditions not used before
# (bronchiectasis, Hodgkin lymphoma, gout). Of their 83 terms, one is a term there too
# (allopurinol, in ../unseen u05) and none of the others is spoken there.
#
# Same format as the development cases (make_audio.py reads it). NHS numbers are in the 999 test
# range and pass the Modulus 11 check. Where a case says "scratch that", its terms hold only what
# is kept (the retracted words here: metoclopramide, Triumeq, febuxostat).

CASES = [
 dict(id="x01_hepatology_cirrhosis", voice="en-gb-x-rp", speed=150, noise=0.0, letter_type="clinic",
  patient="Gordon Pettigrew", dob="1961-08-23", nhs="9996307409", recipient="Dr Philippa Langdon",
  spoken="""Hepatology clinic letter to Doctor Philippa Langdon, Hollybush Surgery.
Re Mr Gordon Pettigrew, date of birth twenty third of August nineteen sixty one, NHS number {NHS}.
Diagnosis colon alcohol related cirrhosis comma Child-Pugh class B new paragraph
Dear Doctor Langdon comma new paragraph
Mr Pettigrew has not drunk alcohol since his admission in June full stop His endoscopy showed grade two oesophageal varices without red signs full stop An ultrasound shows a small volume of ascites and no focal liver lesion full stop His albumin is twenty nine and his bilirubin is thirty four full stop new paragraph
He will start carvedilol six point two five milligrams once daily comma increasing to twice daily after a week if his blood pressure allows full stop He had an episode of hepatic encephalopathy last month comma so he should continue lactulose comma aiming for two or three soft stools a day comma and rifaximin five hundred and fifty milligrams twice daily full stop He needs an ultrasound and an alpha-fetoprotein every six months as surveillance for hepatocellular carcinoma full stop new paragraph
Yours sincerely""",
  terms=["cirrhosis", "Child-Pugh", "oesophageal varices", "ascites", "carvedilol", "hepatic encephalopathy", "lactulose", "rifaximin", "alpha-fetoprotein", "hepatocellular carcinoma"]),

 dict(id="x02_discharge_palliative", voice="en-gb", speed=150, noise=0.0, letter_type="discharge",
  patient="Winifred Oakes", dob="1946-11-17", nhs="9997752686", recipient="Dr Ciaran Dunleavy",
  spoken="""Discharge summary to Doctor Ciaran Dunleavy, Marshfield Surgery.
Patient Mrs Winifred Oakes, date of birth seventeenth of November nineteen forty six, NHS number {NHS}.
Diagnosis colon metastatic pancreatic adenocarcinoma with liver metastases new line malignant biliary obstruction new paragraph
Dear Doctor Dunleavy comma new paragraph
Mrs Oakes was admitted with jaundice and severe epigastric pain radiating through to her back full stop A biliary stent relieved her jaundice comma but her CT scan showed progression of the liver metastases full stop After discussion with Mrs Oakes and her daughter comma she has decided against further chemotherapy and wishes to be cared for at home full stop A do not attempt cardiopulmonary resuscitation form has been completed and goes home with her full stop new paragraph
Medications on discharge colon modified release morphine sulfate thirty milligrams twice daily comma morphine sulfate oral solution ten milligrams as required for breakthrough pain comma Creon twenty five thousand with meals and snacks comma and metoclopramide scratch that and haloperidol five hundred micrograms at night for nausea full stop Anticipatory medicines have been supplied colon morphine comma midazolam comma levomepromazine and glycopyrronium bromide for subcutaneous injection full stop new paragraph
Follow up colon the community palliative care team will visit on Monday and will set up a syringe driver if she can no longer swallow her tablets full stop new paragraph
With best wishes""",
  terms=["pancreatic adenocarcinoma", "liver metastases", "biliary obstruction", "morphine sulfate", "breakthrough pain", "Creon", "haloperidol", "midazolam", "levomepromazine", "glycopyrronium bromide", "syringe driver"]),

 dict(id="x03_respiratory_bronchiectasis", voice="en-gb-x-gbclan", speed=150, noise=0.0, letter_type="clinic",
  patient="Beatrice Lomax", dob="1958-02-09", nhs="9994265806", recipient="Dr Euan Strachan",
  spoken="""Clinic letter to Doctor Euan Strachan, Tollgate Medical Practice.
Regarding Mrs Beatrice Lomax, date of birth ninth of February nineteen fifty eight, NHS number {NHS}.
History colon Mrs Lomax has a daily cough productive of green sputum and has needed antibiotics for three chest infections in the last year full stop She had whooping cough as a child full stop new line
Investigations colon her high resolution CT shows bronchiectasis in both lower lobes full stop Her sputum has grown Pseudomonas aeruginosa twice full stop Her immunoglobulins and Aspergillus serology are normal full stop new line
Plan colon she will have eradication therapy with ciprofloxacin seven hundred and fifty milligrams twice daily for two weeks comma followed by nebulised colistimethate twice daily full stop Our physiotherapist has taught her airway clearance techniques comma and she will use nebulised hypertonic saline before each session full stop If she still has three or more exacerbations a year we will consider long term azithromycin after checking her electrocardiogram full stop new line
Follow up colon bronchiectasis clinic in three months with a repeat sputum culture""",
  terms=["high resolution CT", "bronchiectasis", "Pseudomonas aeruginosa", "immunoglobulins", "Aspergillus", "ciprofloxacin", "colistimethate", "airway clearance", "hypertonic saline", "azithromycin"]),

 dict(id="x04_geriatrics_falls", voice="en-gb-x-gbcwmd", speed=150, noise=0.004, letter_type="clinic",
  patient="Agnes Thwaite", dob="1941-05-30", nhs="9997032942", recipient="Dr Rhodri Vaughan",
  spoken="""Falls clinic letter to Doctor Rhodri Vaughan, Llanfair Road Health Centre.
Patient Mrs Agnes Thwaite, date of birth thirtieth of May nineteen forty one, NHS number {NHS}.
Diagnosis colon recurrent falls due to orthostatic hypotension new paragraph
Dear Doctor Vaughan comma new paragraph
Mrs Thwaite has fallen five times since Christmas comma usually when she gets up at night full stop Her lying and standing blood pressure fell from one hundred and fifty two over eighty to one hundred and twenty two over seventy with dizziness comma which confirms orthostatic hypotension full stop Her Timed Up and Go test took twenty four seconds full stop An ambulatory ECG showed no pauses full stop She also has bilateral cataracts full stop new paragraph
I have stopped her doxazosin full stop Her indapamide can continue for now full stop She takes zopiclone seven point five milligrams at night comma and we agreed to reduce it slowly and then stop it full stop Her FRAX score puts her at high risk of fracture comma so once her vitamin D is replete and she has had a dental check she will start denosumab sixty milligrams every six months full stop I have referred her to the community strength and balance programme and asked her optician to review her cataracts full stop new paragraph
Kind regards""",
  terms=["orthostatic hypotension", "lying and standing blood pressure", "Timed Up and Go", "ambulatory ECG", "cataracts", "doxazosin", "indapamide", "zopiclone", "FRAX", "denosumab"]),

 dict(id="x05_sexual_health_hiv", voice="en-gb-x-rp+f3", speed=150, noise=0.0, letter_type="clinic",
  patient="Lewis Carrow", dob="1996-03-04", nhs="9998888344", recipient="Dr Martin Holbrook",
  spoken="""This is Doctor Rosalie Ekwueme, consultant in sexual health and HIV medicine, dictating a clinic letter to Doctor Martin Holbrook at Dovecote Medical Centre.
Patient Mr Lewis Carrow, date of birth fourth of March nineteen ninety six, NHS number {NHS}.
Diagnosis colon newly diagnosed HIV one infection new paragraph
Dear Doctor Holbrook comma new paragraph
Mr Carrow has agreed that we may share his diagnosis with you full stop He tested positive for HIV in our clinic after a flu like illness with a rash in September full stop His CD4 count is three hundred and forty cells per cubic millimetre and his viral load is one hundred and twenty thousand copies per millilitre full stop His resistance test showed no mutations comma and his hepatitis B and syphilis serology are negative full stop new paragraph
He has started Triumeq full stop scratch that He has started antiretroviral therapy with Biktarvy comma a single tablet of bictegravir comma emtricitabine and tenofovir alafenamide once daily full stop With a CD4 count above two hundred he does not need co-trimoxazole prophylaxis full stop Please do not prescribe rifampicin or Saint John's wort comma and he should take any antacids at least two hours apart from his tablet full stop We have begun partner notification full stop new paragraph
Best wishes""",
  terms=["CD4 count", "viral load", "antiretroviral therapy", "Biktarvy", "bictegravir", "emtricitabine", "tenofovir alafenamide", "co-trimoxazole", "rifampicin", "partner notification"]),

 dict(id="x06_discharge_obstetrics", voice="en-gb-scotland", speed=150, noise=0.003, letter_type="discharge",
  patient="Kirsty Ballantyne", dob="1993-06-16", nhs="9998137187", recipient="Dr Fergus Kinnear",
  spoken="""Discharge summary to Doctor Fergus Kinnear, Braeside Practice.
Patient Mrs Kirsty Ballantyne, date of birth sixteenth of June nineteen ninety three, NHS number {NHS}.
Diagnosis colon pre-eclampsia with severe features new line emergency caesarean section at thirty four weeks of gestation new paragraph
Dear Doctor Kinnear comma new paragraph
Mrs Ballantyne presented in her first pregnancy with a severe headache comma visual disturbance and a blood pressure of one hundred and sixty eight over one hundred and twelve full stop Her urine protein creatinine ratio was one hundred and ten and her platelet count was ninety eight full stop Her liver enzymes were normal comma so there was no evidence of HELLP syndrome full stop She was given intravenous labetalol and magnesium sulfate and had an emergency caesarean section under spinal anaesthetic full stop Her son weighed two point one kilograms and is doing well on the neonatal unit full stop new paragraph
Medications on discharge colon enalapril ten milligrams twice daily comma which is safe with breastfeeding comma and enoxaparin forty milligrams once daily for six weeks full stop new paragraph
Follow up colon please check her blood pressure within a week and reduce the enalapril if it falls below one hundred and forty over ninety full stop In a future pregnancy she should take aspirin from twelve weeks full stop She will have a postnatal review in six weeks full stop new paragraph
Yours sincerely""",
  terms=["pre-eclampsia", "caesarean section", "protein creatinine ratio", "HELLP syndrome", "labetalol", "magnesium sulfate", "spinal anaesthetic", "neonatal unit", "enalapril", "breastfeeding", "enoxaparin"]),

 dict(id="x07_referral_lymphoma", voice="en-gb+f2", speed=150, noise=0.0, letter_type="referral",
  patient="Joel Ferreira", dob="1995-10-27", nhs="9991161473", recipient="Haematology Department",
  spoken="""This is Doctor Tariq Mahmood at Fernhill Surgery dictating an urgent referral to the haematology department, Wexcombe General Hospital.
Patient Mr Joel Ferreira, date of birth twenty seventh of October nineteen ninety five, NHS number {NHS}.
Dear Colleague comma new paragraph
Mr Ferreira has a six week history of a painless lump in the left side of his neck comma drenching night sweats and seven kilograms of weight loss full stop He also complains of generalised pruritus full stop On examination there is a rubbery three centimetre lymph node in the left supraclavicular fossa and there are smaller nodes in both axillae full stop I could not feel any hepatosplenomegaly full stop new paragraph
His blood tests show a normocytic anaemia with a haemoglobin of one hundred and six comma a lymphopenia and a raised lactate dehydrogenase full stop His chest X-ray shows a widened mediastinum full stop I am worried about Hodgkin lymphoma and would be grateful for an urgent assessment and lymph node biopsy full stop new paragraph
Yours faithfully""",
  terms=["night sweats", "pruritus", "supraclavicular fossa", "axillae", "hepatosplenomegaly", "normocytic anaemia", "lymphopenia", "lactate dehydrogenase", "mediastinum", "Hodgkin lymphoma"]),

 dict(id="x08_rheumatology_gout", voice="en-gb-x-rp", speed=150, noise=0.0, letter_type="clinic",
  patient="Clifford Ramsbottom", dob="1963-07-29", nhs="9996762009", recipient="Dr Nkechi Obi",
  spoken="""Rheumatology clinic letter to Doctor Nkechi Obi, Tannery Lane Surgery.
Regarding Mr Clifford Ramsbottom, date of birth twenty ninth of July nineteen sixty three, NHS number {NHS}.
Diagnosis colon recurrent gout with tophi new paragraph
Dear Doctor Obi comma new paragraph
Mr Ramsbottom has had four attacks of gout in the past year comma mostly in the first metatarsophalangeal joint of his right foot full stop He has tophi over both elbows full stop Aspiration of his left knee during the last attack showed negatively birefringent crystals full stop His serum urate is five hundred and sixty micromoles per litre full stop He takes bendroflumethiazide for hypertension comma and I suggest switching it to losartan fifty milligrams daily comma which also lowers urate full stop new paragraph
We discussed urate lowering therapy full stop I will start febuxostat scratch that I will start allopurinol one hundred milligrams once daily comma increasing by one hundred milligrams every four weeks until his serum urate is below three hundred full stop He should take colchicine five hundred micrograms twice daily for the first six months to prevent flares full stop For an acute flare he can take naproxen five hundred milligrams twice daily for up to five days full stop new paragraph
Kind regards""",
  terms=["gout", "tophi", "first metatarsophalangeal joint", "negatively birefringent", "serum urate", "bendroflumethiazide", "losartan", "urate lowering therapy", "allopurinol", "colchicine", "naproxen"]),
]
