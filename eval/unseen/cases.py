# HELD-OUT dictation cases: sixteen synthetic UK dictations (clinic letters, GP referrals and
# discharge summaries), written for this project. Do NOT tune the lexicon, rules or thresholds on
# them: they are only for checking that what was tuned on ../../../shared/eval-dev generalises.
# None of their drugs, conditions, names, practices or places appear in the development set.
#
# Same format as the development cases (make_audio.py reads it): what the clinician says (with the
# usual spoken commands, "scratch that" included), the letter's identifiers, and the clinical terms
# that must come out spelled right (UK spelling) in the finished letter. Where a case says
# "scratch that", its terms hold only what is kept. NHS numbers are in the 999 test range and pass
# the Modulus 11 check. letter_type is one of the product's letter kinds: clinic, referral, discharge.

CASES = [
 dict(id="u01_rheumatology_ra", voice="en-gb-x-rp", speed=150, noise=0.0, letter_type="clinic",
  patient="Bernadette Kowalski", dob="1962-04-03", nhs="9990712964", recipient="Dr Marcus Oyelaran",
  spoken="""This is Doctor Helen Baptiste, consultant rheumatologist, dictating a clinic letter to Doctor Marcus Oyelaran at Willowbrook Medical Centre.
Patient Mrs Bernadette Kowalski, date of birth third of April nineteen sixty two, NHS number {NHS}.
Diagnosis colon seropositive rheumatoid arthritis new paragraph
Dear Doctor Oyelaran comma new paragraph
Thank you for referring Mrs Kowalski with early morning stiffness and swelling of the small joints of both hands for four months full stop On examination she has synovitis of the metacarpophalangeal joints on both sides full stop Her rheumatoid factor and anti CCP antibodies are strongly positive full stop new paragraph
We have started methotrexate fifteen milligrams once weekly with folic acid five milligrams once weekly on a different day full stop We will add hydroxychloroquine two hundred milligrams daily comma and she will need annual retinal screening after five years full stop She had an intramuscular methylprednisolone injection today full stop new paragraph
Yours sincerely""",
  terms=["rheumatoid arthritis", "synovitis", "metacarpophalangeal", "rheumatoid factor", "anti-CCP antibodies", "methotrexate", "folic acid", "hydroxychloroquine", "retinal screening", "methylprednisolone"]),

 dict(id="u02_diabetes_type2", voice="en-gb", speed=155, noise=0.0, letter_type="clinic",
  patient="Priya Raghunathan", dob="1970-10-29", nhs="9991717196", recipient="Dr Eleanor Voss",
  spoken="""Clinic letter to Doctor Eleanor Voss, Castle Hill Surgery.
Re Mrs Priya Raghunathan, date of birth twenty ninth of October nineteen seventy, NHS number {NHS}.
Dear Doctor Voss comma new paragraph
I reviewed Mrs Raghunathan in the diabetes clinic today full stop She has type two diabetes diagnosed six years ago and her HbA1c has risen to seventy eight millimoles per mole despite metformin one gram twice daily full stop She also has background diabetic retinopathy and early peripheral neuropathy with reduced vibration sense in both feet full stop new paragraph
I have started sitagliptin one hundred milligrams once daily full stop scratch that I have started empagliflozin ten milligrams once daily because of her cardiovascular risk full stop I have explained the symptoms of diabetic ketoacidosis and the sick day rules comma and that she should stop it if she is unwell or fasting full stop Please check her renal function and lipid profile in three months full stop new paragraph
Kind regards""",
  terms=["type 2 diabetes", "HbA1c", "metformin", "diabetic retinopathy", "peripheral neuropathy", "empagliflozin", "cardiovascular", "diabetic ketoacidosis", "sick day rules", "lipid profile"]),

 dict(id="u03_dermatology_psoriasis", voice="en-gb-x-gbclan", speed=150, noise=0.0, letter_type="clinic",
  patient="Callum Doherty", dob="1988-08-17", nhs="9990632537", recipient="Dr Hamish Drummond",
  spoken="""Dermatology clinic letter to Doctor Hamish Drummond, Larchfield Health Centre.
Patient Mr Callum Doherty, date of birth seventeenth of August nineteen eighty eight, NHS number {NHS}.
Diagnosis colon severe chronic plaque psoriasis new line psoriatic arthritis new paragraph
Mr Doherty has extensive plaque psoriasis affecting his scalp comma elbows comma knees and lower back full stop His PASI score today is eighteen and his Dermatology Life Quality Index is twenty two full stop He also has dactylitis of the left third toe and nail pitting full stop Topical calcipotriol with betamethasone has not controlled it comma and ciclosporin raised his blood pressure full stop new paragraph
He meets the criteria for biologic therapy full stop His QuantiFERON test and hepatitis serology are negative full stop We will start adalimumab forty milligrams subcutaneously every other week full stop I have referred him to rheumatology for his joints full stop new paragraph
Best wishes""",
  terms=["plaque psoriasis", "psoriatic arthritis", "dactylitis", "nail pitting", "calcipotriol", "betamethasone", "ciclosporin", "QuantiFERON", "adalimumab", "subcutaneously"]),

 dict(id="u04_gp_referral_urology", voice="en-gb-x-gbcwmd", speed=150, noise=0.0, letter_type="referral",
  patient="Trevor Ashworth", dob="1951-02-02", nhs="9998464897", recipient="Urology Department",
  spoken="""Referral to the urology department at Saint Aidan's Hospital.
Regarding Mr Trevor Ashworth, date of birth second of February nineteen fifty one, NHS number {NHS}.
Dear Urology Team comma new paragraph
I would be grateful for your opinion on Mr Ashworth comma who has lower urinary tract symptoms with nocturia four times a night comma hesitancy and a poor stream full stop On digital rectal examination the prostate feels smooth and moderately enlarged full stop His prostate specific antigen is six point two comma which is raised for his age full stop new paragraph
He has been on tamsulosin four hundred micrograms for six months with little benefit comma so last month I added finasteride five milligrams daily full stop His creatinine is normal and a urine dipstick showed no haematuria full stop I would value your assessment for benign prostatic hyperplasia and to exclude prostate cancer full stop new paragraph
Yours faithfully""",
  terms=["lower urinary tract symptoms", "nocturia", "digital rectal examination", "prostate specific antigen", "tamsulosin", "finasteride", "creatinine", "haematuria", "benign prostatic hyperplasia", "prostate cancer"]),

 dict(id="u05_haematology_pv", voice="en-gb-scotland", speed=150, noise=0.0, letter_type="clinic",
  patient="Gareth Pritchard", dob="1959-11-24", nhs="9998375061", recipient="Dr Catriona Munro",
  spoken="""This is Doctor Oluwaseun Adeyemi, consultant haematologist, dictating a clinic letter to Doctor Catriona Munro, Millbrook Practice.
Patient Mr Gareth Pritchard, date of birth twenty fourth of November nineteen fifty nine, NHS number {NHS}.
Diagnosis colon JAK2 positive polycythaemia vera new paragraph
Dear Doctor Munro comma new paragraph
History colon Mr Pritchard was referred with a haematocrit of zero point five six full stop He had a transient ischaemic attack last year full stop new line
Investigations colon the JAK2 mutation is positive full stop An ultrasound shows mild splenomegaly full stop new line
Plan colon he is high risk because of his previous thrombosis full stop We will continue venesection to keep his haematocrit below zero point four five and start hydroxycarbamide full stop Please continue his antiplatelet therapy full stop new line
Medications colon hydroxycarbamide five hundred milligrams once daily comma allopurinol one hundred milligrams once daily new paragraph
Kind regards""",
  terms=["polycythaemia vera", "JAK2", "haematocrit", "transient ischaemic attack", "splenomegaly", "thrombosis", "venesection", "hydroxycarbamide", "antiplatelet", "allopurinol"]),

 dict(id="u06_old_age_psychiatry_memory", voice="en-gb-x-rp", speed=145, noise=0.0, letter_type="clinic",
  patient="Edna Fairweather", dob="1938-03-09", nhs="9992084669", recipient="Dr Gillian Hartley",
  spoken="""This is Doctor Yusuf Patel, consultant in old age psychiatry, dictating a clinic letter to Doctor Gillian Hartley at Ferndale Surgery.
Patient Mrs Edna Fairweather, date of birth ninth of March nineteen thirty eight, NHS number {NHS}.
Dear Doctor Hartley comma new paragraph
I saw Mrs Fairweather in the memory clinic full stop She has an eighteen month history of progressive short term memory loss full stop She scored seventy one out of one hundred on the Addenbrooke's Cognitive Examination full stop Her MRI head scan shows bilateral hippocampal atrophy full stop The diagnosis is Alzheimer's disease of mild severity full stop new paragraph
Her electrocardiogram shows sinus rhythm at seventy two comma so I have started donepezil five milligrams at night full stop She also has low mood full stop I suggest starting sertraline fifty milligrams scratch that given her hyponatraemia I suggest mirtazapine fifteen milligrams at night instead full stop new paragraph
With best wishes""",
  terms=["memory clinic", "Addenbrooke's Cognitive Examination", "hippocampal atrophy", "Alzheimer's disease", "electrocardiogram", "sinus rhythm", "donepezil", "hyponatraemia", "mirtazapine"]),

 dict(id="u07_discharge_orthopaedics", voice="en-gb", speed=150, noise=0.0, letter_type="discharge",
  patient="Violet Hargreaves", dob="1934-06-30", nhs="9993397520", recipient="Dr Matthew Corrigan",
  spoken="""Discharge summary to Doctor Matthew Corrigan, Harbour View Surgery.
Patient Mrs Violet Hargreaves, date of birth thirtieth of June nineteen thirty four, NHS number {NHS}.
Diagnosis colon intracapsular fracture of the left neck of femur new line
Procedure colon left hip hemiarthroplasty new paragraph
Mrs Hargreaves fell at home and was unable to weight bear full stop She had a cemented hemiarthroplasty on the day after admission full stop Her recovery was complicated by delirium and a urinary tract infection comma treated with nitrofurantoin full stop She was reviewed by the orthogeriatric team full stop new paragraph
Medications on discharge colon alendronic acid seventy milligrams once weekly comma colecalciferol with calcium once daily comma and dalteparin five thousand units daily for twenty eight days full stop new paragraph
Follow up colon please continue bone protection for presumed osteoporosis full stop She will be seen in the fracture clinic in six weeks full stop""",
  terms=["intracapsular", "neck of femur", "hemiarthroplasty", "delirium", "nitrofurantoin", "orthogeriatric", "alendronic acid", "colecalciferol", "dalteparin", "osteoporosis"]),

 dict(id="u08_gp_referral_ent", voice="en-gb-x-gbclan", speed=155, noise=0.004, letter_type="referral",
  patient="Rebecca Thornton", dob="1979-12-12", nhs="9993484075", recipient="ENT Department",
  spoken="""Referral letter to the ENT department, Northgate General Hospital.
Patient Ms Rebecca Thornton, born on the twelfth of December nineteen seventy nine, NHS number {NHS}.
Dear ENT Colleague comma new paragraph
Ms Thornton has a three month history of reduced hearing and constant tinnitus in her right ear full stop She has had two episodes of vertigo but no otalgia or discharge full stop Both tympanic membranes look normal full stop Weber's test lateralises to the left full stop new paragraph
Her audiogram shows a right sided sensorineural hearing loss of thirty decibels at the high frequencies full stop I am concerned about a vestibular schwannoma and would be grateful if you could arrange an MRI of the internal auditory meatus full stop Betahistine did not help and I have stopped it full stop new paragraph
Yours faithfully""",
  terms=["tinnitus", "vertigo", "otalgia", "tympanic membranes", "audiogram", "sensorineural hearing loss", "vestibular schwannoma", "internal auditory meatus", "betahistine"]),

 dict(id="u09_oncology_breast", voice="en-gb-x-rp+f3", speed=155, noise=0.0, letter_type="clinic",
  patient="Samira Haddad", dob="1967-05-05", nhs="9990621748", recipient="Dr Benedict Arkwright",
  spoken="""This is Doctor Niamh Gallagher, consultant clinical oncologist, dictating a clinic letter to Doctor Benedict Arkwright, Meadowside Surgery.
Patient Mrs Samira Haddad, date of birth fifth of May nineteen sixty seven, NHS number {NHS}.
Diagnosis colon left breast cancer comma grade two invasive ductal carcinoma comma oestrogen receptor positive comma HER2 negative new paragraph
Dear Doctor Arkwright comma new paragraph
Mrs Haddad had a wide local excision and sentinel lymph node biopsy in January full stop The tumour measured twenty two millimetres with clear margins and no nodal involvement full stop She has completed adjuvant radiotherapy to the left breast full stop new paragraph
She is postmenopausal full stop She will start anastrozole one milligram daily scratch that She will start letrozole two point five milligrams once daily for five years full stop A baseline DEXA scan showed osteopenia comma so she will also have zoledronic acid every six months full stop Please look out for arthralgia and hot flushes full stop new paragraph
Kind regards""",
  terms=["invasive ductal carcinoma", "oestrogen receptor", "HER2", "wide local excision", "sentinel lymph node biopsy", "tumour", "adjuvant radiotherapy", "letrozole", "osteopenia", "zoledronic acid"]),

 dict(id="u10_neurology_epilepsy", voice="en-gb", speed=150, noise=0.003, letter_type="clinic",
  patient="Chloe Brennan", dob="2004-07-14", nhs="9993462810", recipient="Dr Lucy Fenwick",
  spoken="""Clinic letter to Doctor Lucy Fenwick, Kingsway Medical Practice.
Re Miss Chloe Brennan, date of birth fourteenth of July two thousand and four, NHS number {NHS}.
Diagnosis colon juvenile myoclonic epilepsy new paragraph
Dear Doctor Fenwick comma new paragraph
Miss Brennan had a generalised tonic clonic seizure in April after a late night full stop She describes morning myoclonic jerks for two years full stop Her electroencephalogram showed generalised polyspike and wave discharges full stop new paragraph
We discussed treatment full stop Sodium valproate is the most effective drug but we will avoid it because of the risks in pregnancy full stop She has started levetiracetam two hundred and fifty milligrams twice daily comma increasing to five hundred milligrams twice daily after two weeks full stop If she has mood side effects we will switch to lamotrigine full stop She knows that she must not drive and must inform the DVLA full stop new paragraph
Yours sincerely""",
  terms=["juvenile myoclonic epilepsy", "generalised tonic-clonic seizure", "myoclonic jerks", "electroencephalogram", "polyspike and wave", "sodium valproate", "levetiracetam", "lamotrigine", "DVLA"]),

 dict(id="u11_gp_referral_vascular", voice="en-gb-scotland", speed=155, noise=0.0, letter_type="referral",
  patient="Alan Pemberton", dob="1955-09-01", nhs="9997574451", recipient="Mr Tobias Wren",
  spoken="""This is Doctor Harriet Sowerby, GP at Elmstead Surgery, dictating a referral to Mr Tobias Wren, consultant vascular surgeon, Westfield General Hospital.
Regarding Mr Alan Pemberton, date of birth first of September nineteen fifty five, NHS number {NHS}.
Dear Mr Wren comma new paragraph
Thank you for seeing Mr Pemberton comma who gets cramping pain in his right calf after walking about one hundred metres full stop This is typical of intermittent claudication due to peripheral arterial disease full stop He is a current smoker full stop His right foot pulses are absent and his ankle brachial pressure index is zero point six full stop There is no rest pain or tissue loss to suggest critical limb ischaemia full stop new paragraph
I have started simvastatin forty milligrams at night and referred him to the stop smoking service full stop He already takes ramipril for hypertension full stop I have not started naftidrofuryl as I would value your opinion on a duplex ultrasound and a supervised exercise programme first full stop new paragraph
Yours sincerely""",
  terms=["intermittent claudication", "peripheral arterial disease", "ankle brachial pressure index", "critical limb ischaemia", "simvastatin", "ramipril", "hypertension", "naftidrofuryl", "duplex ultrasound", "supervised exercise programme"]),

 dict(id="u12_discharge_infectious_diseases", voice="en-gb-x-gbcwmd", speed=155, noise=0.0, letter_type="discharge",
  patient="Tomasz Nowak", dob="1983-01-21", nhs="9997343565", recipient="Dr Ahmed Karimi",
  spoken="""Discharge summary to Doctor Ahmed Karimi, Riverside Health Centre.
Patient Mr Tomasz Nowak, date of birth twenty first of January nineteen eighty three, NHS number {NHS}.
Diagnosis colon meticillin sensitive Staphylococcus aureus bacteraemia secondary to cellulitis of the right leg new paragraph
Mr Nowak presented with fever comma rigors and a spreading cellulitis of the right shin full stop Two sets of blood cultures grew meticillin sensitive Staphylococcus aureus full stop A transthoracic echocardiogram showed no vegetations and an MRI of the right leg showed no osteomyelitis full stop He was treated with intravenous flucloxacillin for fourteen days full stop new paragraph
Medications on discharge colon flucloxacillin one gram four times a day for seven more days comma then stop full stop new paragraph
Follow up colon infectious diseases clinic in four weeks full stop Please check his liver function tests comma as flucloxacillin can cause cholestatic jaundice full stop new paragraph
Best wishes""",
  terms=["meticillin sensitive", "Staphylococcus aureus", "bacteraemia", "cellulitis", "blood cultures", "transthoracic echocardiogram", "vegetations", "osteomyelitis", "flucloxacillin", "cholestatic jaundice"]),

 dict(id="u13_discharge_copd", voice="en-gb-scotland", speed=150, noise=0.0, letter_type="discharge",
  patient="Derek Holloway", dob="1949-10-08", nhs="9998104394", recipient="Dr Fiona McAllister",
  spoken="""Discharge summary for Doctor Fiona McAllister, Seaview Surgery.
Patient Mr Derek Holloway, date of birth eighth of October nineteen forty nine, NHS number {NHS}.
Diagnosis colon infective exacerbation of chronic obstructive pulmonary disease new line type two respiratory failure new paragraph
Mr Holloway was admitted with increasing breathlessness and purulent sputum full stop His arterial blood gas showed a pH of seven point two eight and a carbon dioxide of eight point nine kilopascals full stop He needed non invasive ventilation for forty eight hours full stop He was treated with intravenous co amoxiclav comma then oral doxycycline full stop new paragraph
Medications on discharge colon tiotropium eighteen micrograms once daily comma carbocisteine seven hundred and fifty milligrams three times a day comma and a rescue pack full stop new paragraph
Follow up colon he has been referred for pulmonary rehabilitation and a home oxygen assessment in eight weeks full stop Please encourage him to stop smoking full stop""",
  terms=["infective exacerbation", "chronic obstructive pulmonary disease", "type 2 respiratory failure", "arterial blood gas", "non-invasive ventilation", "co-amoxiclav", "doxycycline", "tiotropium", "carbocisteine", "pulmonary rehabilitation"]),

 dict(id="u14_cardiology_heart_failure", voice="en-gb+f2", speed=155, noise=0.003, letter_type="clinic",
  patient="Winston Campbell", dob="1953-02-19", nhs="9991773169", recipient="Dr Jonathan Ellery",
  spoken="""This is Doctor Adaeze Nwosu, heart failure consultant, dictating a clinic letter to Doctor Jonathan Ellery, Parkside Surgery.
Patient Mr Winston Campbell, date of birth nineteenth of February nineteen fifty three, NHS number {NHS}.
Diagnoses colon heart failure with reduced ejection fraction new line ischaemic cardiomyopathy new line permanent atrial fibrillation new paragraph
Medications colon bisoprolol five milligrams once daily new line furosemide forty milligrams in the morning new line spironolactone twenty five milligrams once daily new line dapagliflozin ten milligrams once daily new line apixaban five milligrams twice daily new paragraph
Dear Doctor Ellery comma new paragraph
Mr Campbell's echocardiogram shows an ejection fraction of thirty percent full stop He still has ankle oedema full stop new paragraph
Plan colon he will stop ramipril and start sacubitril valsartan twenty four twenty six milligrams twice daily thirty six hours later full stop Please check his urea and electrolytes in two weeks full stop new paragraph
Yours sincerely""",
  terms=["ejection fraction", "ischaemic cardiomyopathy", "atrial fibrillation", "bisoprolol", "furosemide", "spironolactone", "dapagliflozin", "apixaban", "oedema", "sacubitril valsartan"]),

 dict(id="u15_endocrinology_graves", voice="en-gb-x-rp", speed=160, noise=0.0, letter_type="clinic",
  patient="Aisha Rahman", dob="1990-05-23", nhs="9996658015", recipient="Dr Rachel Ingham",
  spoken="""Endocrine clinic letter to Doctor Rachel Ingham, Moorland Medical Centre.
Re Ms Aisha Rahman, date of birth twenty third of May nineteen ninety, NHS number {NHS}.
Diagnosis colon Graves disease with mild thyroid eye disease new paragraph
Ms Rahman presented with weight loss comma palpitations and heat intolerance full stop Her free T4 is forty two picomoles per litre with a suppressed TSH comma and her TSH receptor antibodies are strongly positive full stop She has mild lid retraction and gritty eyes full stop new paragraph
We have started carbimazole twenty milligrams daily and propranolol forty milligrams three times a day for her symptoms full stop She has been warned about agranulocytosis and must stop the carbimazole and have a full blood count the same day if she develops a sore throat or fever full stop Smoking worsens thyroid eye disease comma so I have advised her to stop full stop If she relapses after eighteen months of treatment we will discuss radioiodine or thyroidectomy full stop new paragraph
Kind regards""",
  terms=["Graves disease", "thyroid eye disease", "palpitations", "TSH receptor antibodies", "lid retraction", "carbimazole", "propranolol", "agranulocytosis", "radioiodine", "thyroidectomy"]),

 dict(id="u16_gp_referral_upper_gi", voice="en-gb-x-rp", speed=150, noise=0.0, letter_type="referral",
  patient="Keith Lumsden", dob="1957-11-06", nhs="9995685256", recipient="Gastroenterology Department",
  spoken="""This is Doctor Bethan Lloyd at Quarry Lane Surgery dictating an urgent suspected cancer referral to the gastroenterology department, Northgate General Hospital.
Patient Mr Keith Lumsden, date of birth sixth of November nineteen fifty seven, NHS number {NHS}.
Dear Colleagues comma new paragraph
Mr Lumsden has a six week history of progressive dysphagia to solids comma with food sticking behind his lower sternum full stop He has lost six kilograms in weight full stop He has long standing gastro oesophageal reflux disease and was found to have Barrett's oesophagus at gastroscopy in twenty nineteen comma but he did not attend surveillance full stop new paragraph
His full blood count shows a microcytic picture with a ferritin of nine full stop He takes omeprazole twenty milligrams daily comma which I have increased to forty milligrams twice daily comma and I have started ferrous fumarate full stop I would be grateful for an urgent gastroscopy to exclude oesophageal cancer full stop new paragraph
Yours faithfully""",
  terms=["dysphagia", "sternum", "gastro-oesophageal reflux disease", "Barrett's oesophagus", "gastroscopy", "microcytic", "ferritin", "omeprazole", "ferrous fumarate", "oesophageal cancer"]),
]
